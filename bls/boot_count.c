#include "bls/boot_count.h"

#include "lib/ascii.h"
#include "lib/fmt.h"
#include "lib/mem.h"

/* The counter's '+' (NULL: none); *dot: where the suffix starts. */
static char *counter(const char *name, struct bls_count *c, const char **dot)
{
	const char *plus = NULL, *at = NULL, *p;
	unsigned long long v[2] = { 0, 0 };

	*c = (struct bls_count){ 0 };
	*dot = NULL;
	for (p = name; *p; p++)
		if (*p == '+')
			at = p;
		else if (*p == '.')
			*dot = p, plus = at;
	if (!plus)
		return NULL;
	p = plus + 1;
	for (int i = 0; i < 2; i++) {
		if (!ascii_digit(*p))
			return NULL;
		for (; ascii_digit(*p); p++)
			if ((v[i] = v[i] * 10 + (unsigned)(*p - '0')) > BLS_COUNT_MAX)
				return NULL;
		if (i || *p != '-')
			break;
		p++;
	}
	if (p != *dot)
		return NULL;
	*c = (struct bls_count){ true, (unsigned)v[0], (unsigned)v[1] };
	return (char *)plus;
}

bool bls_count_parse(const char *name, struct bls_count *c)
{
	const char *dot;

	return counter(name, c, &dot);
}

void bls_count_strip(char *name)
{
	struct bls_count c;
	const char *dot;
	char *plus = counter(name, &c, &dot);

	if (plus)
		memmove(plus, dot, strlen(dot) + 1);
}

int bls_count_next(const char *name, char *out, size_t size)
{
	struct bls_count c;
	const char *dot, *plus = counter(name, &c, &dot);

	if (!plus || fmt_snprintf(out, size, "%.*s%u-%u%s", (int)(plus - name) + 1,
				  name, c.left ? c.left - 1 : 0,
				  c.done + (c.done < BLS_COUNT_MAX), dot) >= size)
		return -1;
	return 0;
}
