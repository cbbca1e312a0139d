/* Files fetched over the network with the firmware's protocols: the
 * interface brought up by DHCP (efi/net.c), then HTTP (efi/http.c) or
 * TFTP (efi/tftp.c). What an answer means is decided by pure code
 * (lib/url.c, lib/http.c). */
#ifndef EFI_NET_H
#define EFI_NET_H

#include <efi.h>
#include <stdbool.h>
#include <stdint.h>

#include "efi/net_protocols.h"
#include "lib/diag.h"
#include "lib/progress.h"
#include "lib/url.h"

/* Fetches the file at url (http://, https://, tftp://) whole into fresh
 * pages (pages_alloc(): the boot attempt's): *data, *size bytes. `what`
 * ("kernel", "initrd") names it in messages, which name the URL too. A
 * file of 0 bytes is an error, as on a volume. The first call brings
 * the network up; a fetch that nothing answers on one interface is tried
 * on the next that has an address. */
int net_fetch(const char *what, const char *url, void **data,
	      uint64_t *size, struct diag *d);

/* --- For efi/http.c and efi/tftp.c ------------------------------------- */

/* A network interface with an IPv4 address */
struct nic {
	EFI_HANDLE handle;
	struct ip4_config2 *config;
};

/* A child of the service binding `guid` (named `name` in errors) on the
 * interface, and its protocol `protocol_guid`. */
struct net_child {
	struct service_binding *binding;
	EFI_HANDLE handle;
};
int net_child_create(const struct nic *nic, EFI_GUID *guid, const char *name,
		     EFI_GUID *protocol_guid, struct net_child *c,
		     void **protocol, struct diag *d);
void net_child_destroy(struct net_child *c);

/* An event the firmware signals (a token's), and a wait for it that
 * calls poll(ctx) meanwhile and gives up after ms milliseconds: false. */
EFI_EVENT net_event(void);
bool net_wait(EFI_EVENT e, unsigned ms, void (*poll)(void *ctx), void *ctx);

/* The IPv4 address of host: a dotted address, else asked of the DNS
 * servers DHCP named (EFI_DNS4_PROTOCOL). */
int net_resolve(const struct nic *nic, const char *host,
		EFI_IPv4_ADDRESS *ip, struct diag *d);

/* The progress line of a fetch that takes over a second (lib/progress.h):
 * "efikexec: fetching initrd 'URL': 12.0 of 40.3 MiB (29%), 5.1 MiB/s",
 * written over itself as the bytes come, and left standing at the end. */
struct net_progress {
	const char *what, *url;
	uint64_t total; /* 0: not known (chunked) */
	uint64_t got;
	struct progress line;
};
void net_progress_start(struct net_progress *p, const char *what,
			const char *url, uint64_t total);
void net_progress(struct net_progress *p, uint64_t got);
void net_progress_end(struct net_progress *p);

/* A file whose length is not known until its end (a chunked body, a
 * TFTP server that does not tell the size): in pages that move to twice
 * their size when they must, then copied into pages of its length. */
struct net_buffer {
	uint8_t *data;
	uint64_t len, cap;
};
/* Where `more` bytes go after the len there are (the caller adds them to
 * len); NULL when there is no memory for them, *d says so */
uint8_t *net_buffer_room(struct net_buffer *b, uint64_t more, struct diag *d);
/* Moves the bytes into fresh pages (pages_alloc(), as net_fetch() gives
 * them; none for 0 bytes) and frees the buffer, *data and *size. */
int net_buffer_take(struct net_buffer *b, void **data, uint64_t *size,
		    struct diag *d);
void net_buffer_free(struct net_buffer *b);

/* The file at url by the interface nic. On failure, *elsewhere: nothing
 * answered (no connection, no packet, no name), which another interface,
 * on another network, may not share. */
int http_fetch(const struct nic *nic, const char *what, const char *url,
	       void **data, uint64_t *size, bool *elsewhere, struct diag *d);
int tftp_fetch(const struct nic *nic, const char *what, const char *url,
	       const struct url *u, void **data, uint64_t *size,
	       bool *elsewhere, struct diag *d);

#endif
