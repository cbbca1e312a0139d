/* Fetching a file by TFTP through the firmware's EFI_MTFTP4_PROTOCOL:
 * its size asked first (RFC 2349's tsize), then the file read into pages
 * of that size, in blocks as large as the path allows (RFC 2348). */
#include "efi/net.h"

#include "core/machine.h"
#include "efi/efi.h"
#include "lib/mem.h"

/* The firmware's tries and its wait for each packet */
#define TFTP_TRIES 4
#define TFTP_TIMEOUT_S 3
/* The largest block in one Ethernet frame: 1500 bytes less the IPv4, UDP
 * and TFTP headers */
#define TFTP_BLOCK "1468"

static EFI_GUID mtftp4_sb_guid = MTFTP4_SERVICE_BINDING_GUID;
static EFI_GUID mtftp4_guid = MTFTP4_PROTOCOL_GUID;

/* How far a read got, for the progress line */
struct tftp_read {
	struct net_progress progress;
	uint64_t got;
};

static EFI_STATUS EFIAPI count_block(struct mtftp4 *self, struct mtftp4_token *token,
				     UINT16 length, struct mtftp4_packet *packet)
{
	struct tftp_read *r = token->context;

	(void)self;
	/* each new block comes once, in order (the firmware drops the rest) */
	if (packet->opcode == __builtin_bswap16(MTFTP4_OPCODE_DATA) && length >= 4) {
		r->got += length - 4u;
		net_progress(&r->progress, r->got);
	}
	return EFI_SUCCESS;
}

/* The error the server sent ("TFTP error 1: File not found"), or the
 * firmware's status */
static int tftp_failed(const char *doing, EFI_STATUS s,
		       const struct mtftp4_packet *error, UINT32 length,
		       struct diag *d)
{
	if (s == EFI_TFTP_ERROR && error && length > 4 &&
	    error->opcode == __builtin_bswap16(MTFTP4_OPCODE_ERROR))
		return diag_fail(d, __builtin_bswap16(error->number) == 1 ? ERR_NOT_FOUND : ERR_IO,
				 "%s: TFTP error %u: %.*s", doing,
				 __builtin_bswap16(error->number), (int)(length - 4),
				 (const char *)error->data);
	return diag_fail(d, s == EFI_NOT_FOUND ? ERR_NOT_FOUND : ERR_IO, "%s: %s",
			 doing, efi_status_text(s));
}

/* The file's size from the server's option acknowledgement */
static int size_of(struct mtftp4 *m, UINT32 length, struct mtftp4_packet *oack,
		   uint64_t *size, struct diag *d)
{
	struct mtftp4_option *options = NULL;
	UINT32 n = 0;
	bool found = false;

	if (EFI_ERROR(m->parse_options(m, length, oack, &n, &options)))
		n = 0;
	for (UINT32 i = 0; i < n && !found; i++) {
		const char *name = (const char *)options[i].name;
		const char *v = (const char *)options[i].value;

		if ((name[0] | 0x20) != 't' || strcmp(name + 1, "size"))
			continue;
		for (*size = 0, found = *v != '\0'; found && *v; v++) {
			found = *v >= '0' && *v <= '9' && *size <= (UINT64_MAX - 9) / 10;
			*size = *size * 10 + (uint64_t)(*v - '0');
		}
	}
	if (options)
		efi.bs->FreePool(options);
	if (!found)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the TFTP server does not tell the file's size (RFC 2349 tsize)");
	return 0;
}

int tftp_fetch(const struct nic *nic, const char *what, const char *url,
	       const struct url *u, void **data, uint64_t *size,
	       struct diag *d)
{
	static UINT8 filename[URL_MAX + 1];
	struct mtftp4_option options[] = {
		{ (UINT8 *)"tsize", (UINT8 *)"0" },
		{ (UINT8 *)"blksize", (UINT8 *)TFTP_BLOCK },
	};
	struct mtftp4_config config = {
		.use_default_setting = TRUE, .initial_server_port = u->port,
		.try_count = TFTP_TRIES, .timeout_s = TFTP_TIMEOUT_S,
	};
	struct mtftp4_token token = { 0 };
	struct mtftp4_packet *answer = NULL;
	struct tftp_read r = { 0 };
	struct net_child child;
	struct mtftp4 *m;
	UINT32 length = 0;
	EFI_STATUS s;
	int rc;

	/* RFC 3617: the '/' after the host only separates it from the name */
	memcpy(filename, u->path + 1, u->path_len - 1);
	filename[u->path_len - 1] = '\0';
	if (!filename[0])
		return diag_fail(d, ERR_USAGE, "a tftp:// URL needs a file name");
	if ((rc = net_resolve(nic, u->host, &config.server_ip, d)) ||
	    (rc = net_child_create(nic, &mtftp4_sb_guid,
				   "TFTP (EFI_MTFTP4_SERVICE_BINDING_PROTOCOL)",
				   &mtftp4_guid, &child, (void **)&m, d)))
		return rc;
	s = m->configure(m, &config);
	if (EFI_ERROR(s)) {
		rc = tftp_failed("cannot configure TFTP", s, NULL, 0, d);
		goto out;
	}
	s = m->get_info(m, NULL, filename, (UINT8 *)"octet", 2, options, &length, &answer);
	if (EFI_ERROR(s)) {
		rc = tftp_failed("asking its size", s, answer, length, d);
		goto out;
	}
	if ((rc = size_of(m, length, answer, size, d)) || !*size)
		goto out;
	if (!(*data = pages_alloc(*size, UINT64_MAX, PAGES_FILE))) {
		rc = diag_fail(d, ERR_NO_MEMORY, "no memory for %lu bytes", *size);
		goto out;
	}
	net_progress_start(&r.progress, what, url, *size);
	token = (struct mtftp4_token){
		.filename = filename, .mode = (UINT8 *)"octet",
		.option_count = 2, .options = options,
		.buffer_size = *size, .buffer = *data,
		.context = &r, .check_packet = count_block,
	};
	s = m->read_file(m, &token); /* no event: it returns when done */
	net_progress_end(&r.progress);
	if (EFI_ERROR(s))
		rc = tftp_failed(s == EFI_BUFFER_TOO_SMALL ? "more bytes than its size said" :
				 "reading it", s == EFI_BUFFER_TOO_SMALL ? EFI_PROTOCOL_ERROR : s,
				 NULL, 0, d);
	else if (token.buffer_size != *size || r.got != *size)
		rc = diag_fail(d, ERR_IO, "got %lu of the %lu bytes the server said",
			       r.got, *size);
out:
	if (answer)
		efi.bs->FreePool(answer);
	net_child_destroy(&child);
	return rc;
}
