/* Fetching a file by TFTP through the firmware's EFI_MTFTP4_PROTOCOL: one
 * read, asking the file's size (RFC 2349's tsize) and blocks as large as
 * the path allows (RFC 2348). The bytes come through our callback, not
 * into a buffer of the firmware's: into pages of the size the server
 * told, or, from a server that does not tell it, into a buffer that
 * grows until the last block. */
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
/* Of a server's error message, the bytes kept */
#define TFTP_ERROR_MAX 128

static EFI_GUID mtftp4_sb_guid = MTFTP4_SERVICE_BINDING_GUID;
static EFI_GUID mtftp4_guid = MTFTP4_PROTOCOL_GUID;

/* One read, as the callback sees it */
struct tftp_read {
	const char *what, *url;
	struct net_progress progress;
	bool started;             /* a packet came: the progress line's clock runs */
	uint64_t size;            /* told by the server (tsize); 0: not told */
	uint8_t *file;            /* pages of that size */
	struct net_buffer grown;  /* or this, when it was not told */
	uint64_t got;
	int rc;                   /* the callback's own error, in *d */
	struct diag *d;
	UINT16 error_code;        /* a TFTP ERROR packet's, when one came */
	char error[TFTP_ERROR_MAX + 1];
};

static UINT16 be16(UINT16 v)
{
	return __builtin_bswap16(v);
}

/* The file's size from the server's option acknowledgement, 0 when it
 * does not tell it (or says 0: the last block says then) */
static uint64_t told_size(struct mtftp4 *m, UINT16 length, struct mtftp4_packet *oack)
{
	struct mtftp4_option *options = NULL;
	UINT32 n = 0;
	uint64_t size = 0;

	if (EFI_ERROR(m->parse_options(m, length, oack, &n, &options)))
		n = 0;
	for (UINT32 i = 0; i < n; i++) {
		const char *name = (const char *)options[i].name;
		const char *v = (const char *)options[i].value;
		uint64_t value = 0;

		if ((name[0] | 0x20) != 't' || strcmp(name + 1, "size"))
			continue;
		for (; *v >= '0' && *v <= '9' && value <= (UINT64_MAX - 9) / 10; v++)
			value = value * 10 + (uint64_t)(*v - '0');
		if (!*v)
			size = value;
	}
	if (options)
		efi.bs->FreePool(options);
	return size;
}

/* A block's bytes, to their place: the firmware calls this once for each
 * new block, in order (it drops repeats and blocks out of order). */
static int take_block(struct tftp_read *r, const UINT8 *bytes, uint64_t n)
{
	uint8_t *to;

	if (r->file && r->got + n > r->size)
		return diag_fail(r->d, ERR_IO, "more bytes than the %lu the server said",
				 r->size);
	if (r->file)
		to = r->file + r->got;
	else if (!(to = net_buffer_room(&r->grown, n, r->d)))
		return ERR_NO_MEMORY;
	memcpy(to, bytes, n);
	r->got += n;
	if (!r->file)
		r->grown.len = r->got;
	net_progress(&r->progress, r->got);
	return 0;
}

static EFI_STATUS EFIAPI check_packet(struct mtftp4 *self, struct mtftp4_token *token,
				      UINT16 length, struct mtftp4_packet *packet)
{
	struct tftp_read *r = token->context;
	UINT16 op = length >= 4 ? be16(packet->opcode) : 0;

	if (!r->started) {
		r->started = true;
		net_progress_start(&r->progress, r->what, r->url, 0);
	}
	if (op == MTFTP4_OPCODE_OACK && !r->file && !r->got &&
	    (r->size = told_size(self, length, packet))) {
		if (!(r->file = pages_alloc(r->size, UINT64_MAX, PAGES_FILE)))
			r->rc = diag_fail(r->d, ERR_NO_MEMORY, "no memory for %lu bytes",
					  r->size);
		r->progress.total = r->size;
	} else if (op == MTFTP4_OPCODE_DATA) {
		r->rc = take_block(r, packet->data, length - 4u);
	} else if (op == MTFTP4_OPCODE_ERROR) {
		UINT16 n = length - 4u > TFTP_ERROR_MAX ? TFTP_ERROR_MAX : length - 4u;

		r->error_code = be16(packet->number);
		memcpy(r->error, packet->data, n);
		r->error[n] = '\0';
	}
	/* an error here stops the read: the firmware tells the server */
	return r->rc ? EFI_ABORTED : EFI_SUCCESS;
}

/* What went wrong with the read: ours, the server's error ("TFTP error 1:
 * File not found"), or the firmware's status */
static int read_failed(const struct tftp_read *r, EFI_STATUS s, struct diag *d)
{
	if (r->rc)
		return r->rc;
	if (s == EFI_TFTP_ERROR && (r->error_code || r->error[0]))
		return diag_fail(d, r->error_code == 1 ? ERR_NOT_FOUND : ERR_IO,
				 "TFTP error %u: %s", r->error_code, r->error);
	return diag_fail(d, s == EFI_NOT_FOUND ? ERR_NOT_FOUND : ERR_IO, "reading it: %s",
			 efi_status_text(s));
}

int tftp_fetch(const struct nic *nic, const char *what, const char *url,
	       const struct url *u, void **data, uint64_t *size,
	       bool *elsewhere, struct diag *d)
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
	struct tftp_read r = { .what = what, .url = url, .d = d };
	struct mtftp4_token token = {
		.filename = filename, .mode = (UINT8 *)"octet",
		.option_count = sizeof(options) / sizeof(options[0]), .options = options,
		.context = &r, .check_packet = check_packet,
	};
	struct net_child child;
	struct mtftp4 *m;
	EFI_STATUS s;
	int rc;

	/* RFC 3617: the '/' after the host only separates it from the name */
	memcpy(filename, u->path + 1, u->path_len - 1);
	filename[u->path_len - 1] = '\0';
	if (!filename[0])
		return diag_fail(d, ERR_USAGE, "a tftp:// URL needs a file name");
	if ((rc = net_resolve(nic, u->host, &config.server_ip, d))) {
		*elsewhere = true;
		return rc;
	}
	if ((rc = net_child_create(nic, &mtftp4_sb_guid,
				   "TFTP (EFI_MTFTP4_SERVICE_BINDING_PROTOCOL)",
				   &mtftp4_guid, &child, (void **)&m, d)))
		return rc;
	s = m->configure(m, &config);
	if (EFI_ERROR(s)) {
		rc = diag_fail(d, ERR_IO, "cannot configure TFTP: %s", efi_status_text(s));
	} else {
		/* no buffer: every block comes to check_packet(); no event:
		 * it returns when the read is done */
		s = m->read_file(m, &token);
		net_progress_end(&r.progress);
		/* no packet at all from the server, not even an error */
		*elsewhere = EFI_ERROR(s) && !r.started;
		if (EFI_ERROR(s))
			rc = read_failed(&r, s, d);
		else if (r.file && r.got != r.size)
			rc = diag_fail(d, ERR_IO, "got %lu of the %lu bytes the server said",
				       r.got, r.size);
		else if (r.file)
			*data = r.file, *size = r.size;
		else
			rc = net_buffer_take(&r.grown, data, size, d);
	}
	net_buffer_free(&r.grown);
	net_child_destroy(&child);
	return rc;
}
