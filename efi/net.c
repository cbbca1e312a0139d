/* The network, brought up once per run of efikexec: the interfaces the
 * firmware has (their drivers connected if it left them unconnected), an
 * IPv4 address by DHCP through the interface's IPv4 configuration, names
 * by DNS; then each URL is fetched by HTTP or TFTP, on the next
 * interface when nothing answers on one. */
#include "efi/net.h"

#include <efipciio.h>

#include "core/console.h"
#include "core/machine.h"
#include "core/timing.h"
#include "efi/efi.h"
#include "lib/mem.h"
#include "lib/progress.h"
#include "lib/utf.h"

/* How long DHCP may take on all interfaces together, and a DNS answer */
#define DHCP_TIMEOUT_MS 20000
#define DNS_TIMEOUT_MS 10000

/* PCI base class of network controllers (PCI Code and ID Assignment
 * Specification §1.3) */
#define PCI_CLASS_NETWORK 0x02
#define PCI_CLASS_OFFSET 0x0b

static EFI_GUID ip4_config2_guid = IP4_CONFIG2_PROTOCOL_GUID;
static EFI_GUID snp_guid = EFI_SIMPLE_NETWORK_PROTOCOL_GUID;
static EFI_GUID pci_io_guid = EFI_PCI_IO_PROTOCOL_GUID;
static EFI_GUID dns4_sb_guid = DNS4_SERVICE_BINDING_GUID;
static EFI_GUID dns4_guid = DNS4_PROTOCOL_GUID;

/* The interfaces, once found: each fetch tries those with an address,
 * the one that fetched the last file first */
#define MAX_NICS 8
static struct interface {
	struct nic nic;
	bool had_address; /* before this run set DHCP */
	bool said;        /* its address was shown */
} nics[MAX_NICS];
static UINTN nic_count, last_good;

EFI_EVENT net_event(void)
{
	EFI_EVENT e;

	/* neither notify kind: signalled by the firmware, checked by us */
	return EFI_ERROR(efi.bs->CreateEvent(0, 0, NULL, NULL, &e)) ? NULL : e;
}

bool net_wait(EFI_EVENT e, unsigned ms, void (*poll)(void *ctx), void *ctx)
{
	EFI_EVENT timer;
	bool done = false;

	if (EFI_ERROR(efi.bs->CreateEvent(EVT_TIMER, 0, NULL, NULL, &timer)))
		return false;
	efi.bs->SetTimer(timer, TimerRelative, (UINT64)ms * 10000); /* 100 ns */
	while (!(done = efi.bs->CheckEvent(e) == EFI_SUCCESS) &&
	       efi.bs->CheckEvent(timer) != EFI_SUCCESS)
		if (poll)
			poll(ctx);
	efi.bs->CloseEvent(timer);
	return done;
}

int net_child_create(const struct nic *nic, EFI_GUID *guid, const char *name,
		     EFI_GUID *protocol_guid, struct net_child *c,
		     void **protocol, struct diag *d)
{
	EFI_STATUS s;

	c->handle = NULL;
	if (!(c->binding = efi_protocol(nic->handle, guid)))
		return diag_fail(d, ERR_UNSUPPORTED,
				 "the firmware has no %s on the network interface", name);
	s = c->binding->create_child(c->binding, &c->handle);
	if (!EFI_ERROR(s) && !(*protocol = efi_protocol(c->handle, protocol_guid)))
		s = EFI_UNSUPPORTED;
	if (EFI_ERROR(s)) {
		net_child_destroy(c);
		return diag_fail(d, ERR_IO, "%s: cannot create a child (%s)", name,
				 efi_status_text(s));
	}
	return 0;
}

void net_child_destroy(struct net_child *c)
{
	if (c->handle)
		c->binding->destroy_child(c->binding, c->handle);
	c->handle = NULL;
}

/* Connects the drivers of the network controllers, and the network stack
 * above each interface, where the firmware left them unconnected (a NIC
 * that is no boot option: OVMF connects those only). */
static void connect_interfaces(void)
{
	UINTN n;
	EFI_HANDLE *h = efi_handles(&pci_io_guid, &n);

	for (UINTN i = 0; i < n; i++) {
		EFI_PCI_IO_PROTOCOL *pci = efi_protocol(h[i], &pci_io_guid);
		UINT8 class = 0;

		if (pci && !EFI_ERROR(pci->Pci.Read(pci, EfiPciIoWidthUint8,
						    PCI_CLASS_OFFSET, 1, &class)) &&
		    class == PCI_CLASS_NETWORK)
			efi.bs->ConnectController(h[i], NULL, NULL, TRUE);
	}
	if (h)
		efi.bs->FreePool(h);
	efi_connect(&snp_guid);
}

/* The interface's configuration, with room for its route table */
union interface_info {
	struct ip4_config2_interface_info info;
	UINT8 bytes[1024];
};

static bool has_address(struct ip4_config2 *c, union interface_info *u)
{
	UINTN size = sizeof(*u);
	const UINT8 *a = u->info.station_address.Addr;

	return !EFI_ERROR(c->get_data(c, IP4_CONFIG2_INTERFACE_INFO, &size, u)) &&
	       (a[0] | a[1] | a[2] | a[3]);
}

static unsigned prefix_length(const EFI_IPv4_ADDRESS *mask)
{
	unsigned n = 0;

	for (int i = 0; i < 4; i++)
		for (UINT8 b = mask->Addr[i]; b & 0x80; b = (UINT8)(b << 1))
			n++;
	return n;
}

static bool usable(const struct interface *n)
{
	union interface_info u;

	return has_address(n->nic.config, &u);
}

/* Says which address the interface has, the first time it is used */
static void say_address(struct interface *n)
{
	union interface_info u;
	const UINT8 *a = u.info.station_address.Addr, *m = u.info.hw_address.Addr;

	if (n->said || !has_address(n->nic.config, &u))
		return;
	n->said = true;
	con_note("network: %u.%u.%u.%u/%u %s on %02x:%02x:%02x:%02x:%02x:%02x",
		 a[0], a[1], a[2], a[3], prefix_length(&u.info.subnet_mask),
		 n->had_address ? "as set before" : "by DHCP",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* Finds the interfaces. When none has an IPv4 address (set by hand, or by
 * an earlier DHCP), sets them all to DHCP and waits for the first to get
 * one; the others may get theirs later, to be tried if it fails. */
static int network_up(struct diag *d)
{
	union interface_info info;
	EFI_HANDLE *h;
	UINTN n;
	EFI_EVENT timer;
	bool any = false;

	if (nic_count)
		return 0;
	if (!(h = efi_handles(&ip4_config2_guid, &n)) || !n) {
		connect_interfaces();
		h = efi_handles(&ip4_config2_guid, &n);
	}
	if (!n)
		return diag_fail(d, ERR_UNSUPPORTED,
				 "no network interface with IPv4 (no handle has EFI_IP4_CONFIG2_PROTOCOL): no NIC, no driver for it, or no network stack in the firmware");
	for (UINTN i = 0; i < n && nic_count < MAX_NICS; i++) {
		struct ip4_config2 *c = efi_protocol(h[i], &ip4_config2_guid);

		if (!c)
			continue;
		nics[nic_count] = (struct interface){ { h[i], c }, has_address(c, &info) };
		any |= nics[nic_count++].had_address;
	}
	efi.bs->FreePool(h);
	if (any)
		return 0;
	/* DHCP on every interface at once */
	for (UINTN i = 0; i < nic_count; i++) {
		UINT32 policy = IP4_CONFIG2_POLICY_DHCP;

		nics[i].nic.config->set_data(nics[i].nic.config, IP4_CONFIG2_POLICY,
					     sizeof(policy), &policy);
	}
	if (!EFI_ERROR(efi.bs->CreateEvent(EVT_TIMER, 0, NULL, NULL, &timer))) {
		efi.bs->SetTimer(timer, TimerRelative, (UINT64)DHCP_TIMEOUT_MS * 10000);
		while (!any && efi.bs->CheckEvent(timer) != EFI_SUCCESS) {
			for (UINTN i = 0; i < nic_count && !any; i++)
				any = has_address(nics[i].nic.config, &info);
			if (!any)
				efi.bs->Stall(50000);
		}
		efi.bs->CloseEvent(timer);
	}
	if (!any)
		return diag_fail(d, ERR_IO,
				 "no IPv4 address: DHCP found no server on %lu network interface(s) in %u s",
				 (uint64_t)nic_count, DHCP_TIMEOUT_MS / 1000);
	return 0;
}

static void dns_poll(void *dns)
{
	((struct dns4 *)dns)->poll(dns);
}

int net_resolve(const struct nic *nic, const char *host, EFI_IPv4_ADDRESS *ip,
		struct diag *d)
{
	EFI_IPv4_ADDRESS servers[8];
	UINTN size = sizeof(servers);
	struct dns4_config config = {
		.enable_cache = TRUE, .protocol = 17, .retry_count = 2,
		.retry_interval_s = 2,
	};
	struct dns4_token token = { .event = net_event() };
	CHAR16 name[URL_HOST_MAX + 1];
	struct net_child child;
	struct dns4 *dns;
	EFI_STATUS s;
	int rc;

	if (url_ipv4(host, ip->Addr))
		return 0;
	/* the servers DHCP named, as the firmware's HTTP asks them */
	s = nic->config->get_data(nic->config, IP4_CONFIG2_DNS_SERVER, &size, servers);
	if (EFI_ERROR(s) || !size)
		return diag_fail(d, ERR_NOT_FOUND,
				 "cannot look up '%s': DHCP named no DNS server", host);
	config.server_count = size / sizeof(servers[0]);
	config.servers = servers;
	if ((rc = net_child_create(nic, &dns4_sb_guid, "DNS (EFI_DNS4_SERVICE_BINDING_PROTOCOL)",
				   &dns4_guid, &child, (void **)&dns, d)))
		return rc;
	utf8_to_ucs2(host, name, sizeof(name) / sizeof(name[0]));
	s = dns->configure(dns, &config);
	if (!EFI_ERROR(s) && !token.event)
		s = EFI_OUT_OF_RESOURCES;
	if (!EFI_ERROR(s))
		s = dns->host_name_to_ip(dns, name, &token);
	if (!EFI_ERROR(s)) {
		if (!net_wait(token.event, DNS_TIMEOUT_MS, dns_poll, dns)) {
			dns->cancel(dns, &token);
			s = EFI_TIMEOUT;
		} else {
			s = token.status;
		}
	}
	if (!EFI_ERROR(s) && (!token.addresses || !token.addresses->count))
		s = EFI_NOT_FOUND;
	if (!EFI_ERROR(s))
		*ip = token.addresses->list[0];
	if (token.addresses) {
		efi.bs->FreePool(token.addresses->list);
		efi.bs->FreePool(token.addresses);
	}
	if (token.event)
		efi.bs->CloseEvent(token.event);
	net_child_destroy(&child);
	if (EFI_ERROR(s))
		return diag_fail(d, ERR_NOT_FOUND, "cannot look up '%s' by DNS: %s",
				 host, efi_status_text(s));
	return 0;
}

void net_progress_start(struct net_progress *p, const char *what,
			const char *url, uint64_t total)
{
	*p = (struct net_progress){ .what = what, .url = url, .total = total };
	progress_start(&p->line, timing_now_us());
}

/* The line, from its start, over the one before it (the spaces cover
 * what is left of a longer one) */
static void show_progress(const struct net_progress *p, uint64_t got, uint64_t now)
{
	char figures[80];

	progress_format(figures, sizeof(figures), got, p->total, now - p->line.start_us);
	con_printf("\refikexec: fetching %s '%s': %s    ", p->what, p->url, figures);
}

void net_progress(struct net_progress *p, uint64_t got)
{
	uint64_t now = timing_now_us();

	p->got = got;
	if (progress_due(&p->line, now))
		show_progress(p, got, now);
}

void net_progress_end(struct net_progress *p)
{
	/* the last figures, then the line stays */
	if (p->line.shown) {
		show_progress(p, p->got, timing_now_us());
		con_printf("\n");
	}
	p->line.shown = false;
}

/* The first pages a net_buffer takes */
#define NET_BUFFER_FIRST (1u << 20)

uint8_t *net_buffer_room(struct net_buffer *b, uint64_t more, struct diag *d)
{
	EFI_PHYSICAL_ADDRESS bigger;
	uint64_t want = b->cap ? b->cap : NET_BUFFER_FIRST;

	if (b->cap - b->len >= more)
		return b->data + b->len;
	while (want - b->len < more)
		want *= 2;
	if (EFI_ERROR(efi.bs->AllocatePages(AllocateAnyPages, EfiLoaderData,
					    want >> 12, &bigger))) {
		diag_fail(d, ERR_NO_MEMORY, "no memory for %lu bytes", want);
		return NULL;
	}
	if (b->len)
		memcpy((void *)(uintptr_t)bigger, b->data, b->len);
	net_buffer_free(b);
	b->data = (uint8_t *)(uintptr_t)bigger;
	b->cap = want;
	return b->data + b->len;
}

int net_buffer_take(struct net_buffer *b, void **data, uint64_t *size,
		    struct diag *d)
{
	int rc = 0;

	*size = b->len;
	*data = NULL;
	if (b->len && !(*data = pages_alloc(b->len, UINT64_MAX, PAGES_FILE)))
		rc = diag_fail(d, ERR_NO_MEMORY, "no memory for %lu bytes", b->len);
	else if (b->len)
		memcpy(*data, b->data, b->len);
	net_buffer_free(b);
	return rc;
}

void net_buffer_free(struct net_buffer *b)
{
	if (b->cap)
		efi.bs->FreePages((EFI_PHYSICAL_ADDRESS)(uintptr_t)b->data, b->cap >> 12);
	b->data = NULL;
	b->cap = 0;
}

/* The next interface with an address after the k-th of the order that
 * starts with the last good one: its place in that order, or nic_count */
static UINTN next_usable(UINTN k)
{
	while (++k < nic_count && !usable(&nics[(last_good + k) % nic_count]))
		;
	return k;
}

int net_fetch(const char *what, const char *url, void **data, uint64_t *size,
	      struct diag *d)
{
	struct url u;
	UINTN k;
	int rc;

	if ((rc = url_parse(url, &u, d)))
		return rc;
	if ((rc = network_up(d))) {
		diag_prefix(d, "cannot fetch %s '%s': ", what, url);
		return rc;
	}
	/* the interfaces in turn while nothing answers on one (a network
	 * without the server): a server's answer, an error, stands */
	k = usable(&nics[last_good]) ? 0 : next_usable(0);
	if (k == nic_count)
		rc = diag_fail(d, ERR_IO, "no network interface has an IPv4 address");
	while (k < nic_count) {
		UINTN i = (last_good + k) % nic_count;
		bool elsewhere = false;

		say_address(&nics[i]);
		rc = u.scheme == URL_TFTP ?
			     tftp_fetch(&nics[i].nic, what, url, &u, data, size, &elsewhere, d) :
			     http_fetch(&nics[i].nic, what, url, data, size, &elsewhere, d);
		if (!rc) {
			last_good = i;
			break;
		}
		if (!elsewhere || (k = next_usable(k)) == nic_count)
			break;
		con_note("%s '%s': %s; trying the next network interface",
			 what, url, d->msg);
	}
	if (rc)
		diag_prefix(d, "cannot fetch %s '%s': ", what, url);
	else if (!*size)
		rc = diag_fail(d, ERR_BAD_IMAGE, "%s '%s' is empty (0 bytes)", what, url);
	return rc;
}
