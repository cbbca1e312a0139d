/* Fetching a file by HTTP through the firmware's EFI_HTTP_PROTOCOL: one
 * child per request, the answer's head read into what to do next by
 * lib/http.c (the body, a redirect, a retry), the body received whole:
 * exactly Content-Length bytes, or chunks until the last one. */
#include "efi/net.h"

#include "core/console.h"
#include "core/machine.h"
#include "efi/efi.h"
#include "lib/fmt.h"
#include "lib/http.h"
#include "lib/mem.h"
#include "lib/utf.h"

/* Redirects followed for one file, at most */
#define MAX_REDIRECTS 5
/* Bytes asked of the firmware at once, and the chunked body's bytes
 * received before they are decoded */
#define RECEIVE_BYTES (1u << 20)
#define STAGING_BYTES (64u << 10)
/* Header fields read of an answer, at most */
#define MAX_FIELDS 64

static EFI_GUID http_sb_guid = HTTP_SERVICE_BINDING_GUID;
static EFI_GUID http_guid = HTTP_PROTOCOL_GUID;
static EFI_GUID tls_sb_guid = TLS_SERVICE_BINDING_GUID;
static EFI_GUID tls_ca_guid = TLS_CA_CERTIFICATE_GUID;

/* EFI_HTTP_STATUS_CODE's values as numbers */
static const uint16_t status_codes[] = { HTTP_STATUS_CODES };

/* One request and its answer, on an HTTP child of their own */
struct exchange {
	struct net_child child;
	struct http *http;
	struct http_token token;
	struct http_message message;
	struct http_request_data request;
	struct http_response_data response;
};

static void http_poll(void *http)
{
	((struct http *)http)->poll(http);
}

/* What a failed connection or a lost answer returns: the next try may
 * succeed. (A name DNS does not know, a refusal of the firmware's, do
 * not change.) */
static bool worth_retrying(EFI_STATUS s)
{
	return s == EFI_TIMEOUT || s == EFI_NO_RESPONSE || s == EFI_NOT_READY ||
	       s == EFI_DEVICE_ERROR || s == EFI_ICMP_ERROR || s == EFI_ABORTED ||
	       s == EFI_CONNECTION_FIN || s == EFI_CONNECTION_RESET ||
	       s == EFI_CONNECTION_REFUSED;
}

static void free_fields(struct http_message *m)
{
	for (UINTN i = 0; i < m->field_count; i++) {
		efi.bs->FreePool(m->fields[i].name);
		efi.bs->FreePool(m->fields[i].value);
	}
	if (m->fields)
		efi.bs->FreePool(m->fields);
	m->fields = NULL;
	m->field_count = 0;
}

static void end_exchange(struct exchange *x)
{
	free_fields(&x->message);
	net_child_destroy(&x->child);
	if (x->token.event)
		efi.bs->CloseEvent(x->token.event);
	*x = (struct exchange){ 0 };
}

/* Waits for the token the firmware took; its status, or EFI_TIMEOUT
 * (the token cancelled) */
static EFI_STATUS finish(struct exchange *x, EFI_STATUS s, unsigned ms)
{
	if (EFI_ERROR(s))
		return s;
	if (!net_wait(x->token.event, ms, http_poll, x->http)) {
		x->http->cancel(x->http, &x->token);
		return EFI_TIMEOUT;
	}
	return x->token.status;
}

/* Sends GET url on a fresh child and reads the answer's head into *a.
 * *retry: the failure is one the next try may not have. */
static int ask(const struct nic *nic, const char *url, struct exchange *x,
	       struct http_answer *a, bool *retry, struct diag *d)
{
	static CHAR16 wurl[URL_MAX + 1];
	char host[URL_HOST_MAX + 8];
	struct http_field fields[] = {
		{ (CHAR8 *)"Host", (CHAR8 *)host },
		{ (CHAR8 *)"Accept", (CHAR8 *)"*/*" },
		{ (CHAR8 *)"User-Agent", (CHAR8 *)"efikexec" },
	};
	struct http_v4_access_point local = { .use_default_address = TRUE };
	struct http_config config = {
		HTTP_VERSION_11, http_phase_timeout_ms(HTTP_PHASE_REQUEST), FALSE, &local
	};
	struct http_header h[MAX_FIELDS];
	unsigned status;
	enum http_phase phase = HTTP_PHASE_CONNECT;
	struct url u;
	EFI_STATUS s;
	int rc;

	*retry = false;
	*a = (struct http_answer){ 0 };
	*x = (struct exchange){ .token.event = net_event() };
	if ((rc = url_parse(url, &u, d)) ||
	    (rc = net_child_create(nic, &http_sb_guid,
				   "HTTP (EFI_HTTP_SERVICE_BINDING_PROTOCOL)",
				   &http_guid, &x->child, (void **)&x->http, d)))
		return rc;
	if (!x->token.event)
		return diag_fail(d, ERR_NO_MEMORY, "no event for HTTP");
	s = x->http->configure(x->http, &config);
	if (EFI_ERROR(s))
		return diag_fail(d, ERR_IO, "cannot configure HTTP: %s",
				 efi_status_text(s));
	/* the port only where it is not the scheme's (RFC 9110 §7.2) */
	if (u.port == (u.scheme == URL_HTTPS ? 443 : 80))
		fmt_snprintf(host, sizeof(host), "%s", u.host);
	else
		fmt_snprintf(host, sizeof(host), "%s:%u", u.host, u.port);
	utf8_to_ucs2(url, wurl, sizeof(wurl) / sizeof(wurl[0]));
	x->request = (struct http_request_data){ HTTP_METHOD_GET, wurl };
	x->message = (struct http_message){
		.data.request = &x->request,
		.field_count = sizeof(fields) / sizeof(fields[0]), .fields = fields,
	};
	x->token.message = &x->message;
	/* The firmware connects (TCP, then TLS) within Request(), and
	 * returns when it has or cannot; then the request is sent. */
	s = x->http->request(x->http, &x->token);
	if (!EFI_ERROR(s)) {
		phase = HTTP_PHASE_REQUEST;
		s = finish(x, s, http_phase_timeout_ms(phase));
	}
	/* (EDK2's HTTP returns EFI_ABORTED for a TLS handshake that failed:
	 * the next try fails the same way) */
	if (s == EFI_ABORTED && u.scheme == URL_HTTPS)
		return diag_fail(d, ERR_IO,
				 "the TLS handshake failed: a server certificate for another host or from a CA the firmware does not have, or no cipher in common");
	if (EFI_ERROR(s)) {
		*retry = worth_retrying(s);
		return http_phase_failed(phase, s == EFI_TIMEOUT, efi_status_text(s), 0, 0, d);
	}
	x->message = (struct http_message){ .data.response = &x->response };
	x->token.status = EFI_SUCCESS;
	s = finish(x, x->http->response(x->http, &x->token),
		   http_phase_timeout_ms(HTTP_PHASE_FIRST_BYTE));
	/* (EDK2 returns EFI_HTTP_ERROR for a status of 300 or more) */
	if (EFI_ERROR(s) && s != EFI_HTTP_ERROR) {
		*retry = worth_retrying(s);
		return http_phase_failed(HTTP_PHASE_FIRST_BYTE, s == EFI_TIMEOUT,
					 efi_status_text(s), 0, 0, d);
	}
	status = x->response.status_code < sizeof(status_codes) / sizeof(status_codes[0]) ?
			 status_codes[x->response.status_code] : 0;
	if (!status)
		return diag_fail(d, ERR_IO, "an HTTP status the firmware does not know");
	if (x->message.field_count > MAX_FIELDS)
		return diag_fail(d, ERR_UNSUPPORTED, "an answer with more than %d header fields",
				 MAX_FIELDS);
	for (UINTN i = 0; i < x->message.field_count; i++)
		h[i] = (struct http_header){ (const char *)x->message.fields[i].name,
					     (const char *)x->message.fields[i].value };
	return http_answer_read(status, h, x->message.field_count, a, d);
}

/* One Response() for at most n bytes of the body at buf: *got of them */
static EFI_STATUS receive(struct exchange *x, void *buf, UINTN n, UINTN *got)
{
	EFI_STATUS s;

	free_fields(&x->message);
	x->message = (struct http_message){ .body_length = n, .body = buf };
	x->token.status = EFI_SUCCESS;
	s = finish(x, x->http->response(x->http, &x->token),
		   http_phase_timeout_ms(HTTP_PHASE_BODY));
	*got = x->message.body_length;
	/* data comes, or an error: never nothing, but a firmware may */
	return !EFI_ERROR(s) && !*got ? EFI_CONNECTION_FIN : s;
}

/* A body that ended, or stalled, before all of it came */
static int cut_short(EFI_STATUS s, uint64_t have, uint64_t length, struct diag *d)
{
	return http_phase_failed(HTTP_PHASE_BODY, s == EFI_TIMEOUT, efi_status_text(s),
				 have, length, d);
}

/* A body of Content-Length bytes, straight into its pages */
static int receive_length(struct exchange *x, struct net_progress *p,
			  uint64_t length, void **data, uint64_t *size,
			  struct diag *d)
{
	uint8_t *buf = pages_alloc(length, UINT64_MAX, PAGES_FILE);
	uint64_t have = 0;

	if (!buf)
		return diag_fail(d, ERR_NO_MEMORY, "no memory for %lu bytes", length);
	while (have < length) {
		UINTN got, n = length - have < RECEIVE_BYTES ? (UINTN)(length - have) :
							      RECEIVE_BYTES;
		EFI_STATUS s = receive(x, buf + have, n, &got);

		if (EFI_ERROR(s))
			return cut_short(s, have, length, d);
		have += got;
		net_progress(p, have);
	}
	*data = buf;
	*size = length;
	return 0;
}

/* A chunked body, its length unknown until its end: decoded into a
 * buffer that grows */
static int receive_chunked(struct exchange *x, struct net_progress *p,
			   void **data, uint64_t *size, struct diag *d)
{
	struct net_buffer buf = { 0 };
	struct http_chunked c;
	uint8_t *staging = efi_alloc(STAGING_BYTES);
	int rc = 0;

	if (!staging)
		return diag_fail(d, ERR_NO_MEMORY, "no memory for a chunked body");
	http_chunked_init(&c);
	while (!rc && !http_chunked_done(&c)) {
		size_t out = 0, used;
		uint8_t *to;
		UINTN got;
		EFI_STATUS s = receive(x, staging, STAGING_BYTES, &got);

		if (EFI_ERROR(s))
			rc = cut_short(s, buf.len, 0, d);
		else if (!(to = net_buffer_room(&buf, got, d)))
			rc = ERR_NO_MEMORY;
		else if (!(rc = http_chunked_decode(&c, staging, got, to, &out, &used, d)))
			buf.len += out;
		net_progress(p, buf.len);
	}
	if (rc) {
		net_buffer_free(&buf);
		return rc;
	}
	return net_buffer_take(&buf, data, size, d);
}

/* Whether the firmware can fetch the https URL: it has TLS, and CA
 * certificates to check the server with (EDK2's HTTP reads them from the
 * TlsCaCertificate variable, and fails without them). Never plain HTTP
 * instead. */
static int tls_ready(const char *url, struct diag *d)
{
	UINTN size = 0;

	if (url_scheme_of(url) != URL_HTTPS)
		return 0;
	if (!efi_protocol(NULL, &tls_sb_guid))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "https needs the firmware's TLS (EFI_TLS_SERVICE_BINDING_PROTOCOL), and this firmware has none");
	if (efi.rt->GetVariable(L"TlsCaCertificate", &tls_ca_guid, NULL, &size,
				NULL) != EFI_BUFFER_TOO_SMALL)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "https needs CA certificates to check the server with, and the firmware has none (no TlsCaCertificate variable; QEMU gives OVMF them as fw_cfg etc/edk2/https/cacerts)");
	return 0;
}

/* Asks for url, following redirects: returns with the exchange open
 * and the answer's head in *a (a body, or a retry), or an error (*retry:
 * worth another try). */
static int ask_following(const struct nic *nic, const char *what,
			 const char *url, struct exchange *x,
			 struct http_answer *a, bool *retry, struct diag *d)
{
	static char current[URL_MAX + 1], next[URL_MAX + 1];
	int rc;

	memcpy(current, url, strlen(url) + 1);
	for (unsigned redirects = 0;; redirects++) {
		if ((rc = ask(nic, current, x, a, retry, d)) || a->next != HTTP_REDIRECT)
			return rc;
		rc = url_redirect(current, a->location, next, sizeof(next), d);
		end_exchange(x);
		if (rc)
			return rc;
		if (redirects == MAX_REDIRECTS)
			return diag_fail(d, ERR_IO, "more than %d redirects (the last to '%s')",
					 MAX_REDIRECTS, next);
		if ((rc = tls_ready(next, d))) {
			diag_prefix(d, "redirected to '%s': ", next);
			return rc;
		}
		con_note("%s '%s': HTTP %u, fetching '%s'", what,
			 current, a->status, next);
		memcpy(current, next, strlen(next) + 1);
	}
}

int http_fetch(const struct nic *nic, const char *what, const char *url,
	       void **data, uint64_t *size, bool *elsewhere, struct diag *d)
{
	struct exchange x;
	struct http_answer a;
	struct net_progress p;
	bool retry;
	int rc;

	if ((rc = tls_ready(url, d)))
		return rc;
	for (unsigned attempt = 1;; attempt++) {
		unsigned pause_ms = http_retry_delay_ms(attempt + 1);

		bool answered;

		rc = ask_following(nic, what, url, &x, &a, &retry, d);
		if (!rc && a.next == HTTP_BODY)
			break;
		answered = !rc;
		if (answered) {
			retry = true;
			rc = diag_fail(d, ERR_IO, "HTTP status %u", a.status);
		}
		end_exchange(&x);
		if (!retry || attempt == HTTP_ATTEMPTS) {
			/* every try failed to connect, or got no answer */
			*elsewhere = retry && !answered;
			return rc;
		}
		con_note("%s '%s': %s; trying again in %u s", what, url,
			 d->msg, pause_ms / 1000);
		efi.bs->Stall(pause_ms * 1000);
	}
	net_progress_start(&p, what, url, a.length);
	if (a.chunked)
		rc = receive_chunked(&x, &p, data, size, d);
	else if (a.length)
		rc = receive_length(&x, &p, a.length, data, size, d);
	else
		*size = 0; /* net_fetch() says it is empty */
	net_progress_end(&p);
	end_exchange(&x);
	return rc;
}
