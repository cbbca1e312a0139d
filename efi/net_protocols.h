/* The UEFI network protocols efikexec fetches files with, as UEFI 2.10
 * defines them (gnu-efi has none of them): IPv4 configuration (§28.5),
 * HTTP (§29.6), MTFTPv4 (§30.3), DNSv4 (§29.2), and the service binding
 * each is created through (§11.6). Only what efi/net.c calls is typed;
 * the other members keep their place as plain pointers. */
#ifndef EFI_NET_PROTOCOLS_H
#define EFI_NET_PROTOCOLS_H

#include <efi.h>

/* --- IPv4 configuration (EFI_IP4_CONFIG2_PROTOCOL) --------------------- */

#define IP4_CONFIG2_PROTOCOL_GUID \
	{ 0x5b446ed1, 0xe30b, 0x4faa, { 0x87, 0x1a, 0x36, 0x54, 0xec, 0xa3, 0x60, 0x80 } }

enum ip4_config2_data_type {
	IP4_CONFIG2_INTERFACE_INFO,
	IP4_CONFIG2_POLICY,
	IP4_CONFIG2_MANUAL_ADDRESS,
	IP4_CONFIG2_GATEWAY,
	IP4_CONFIG2_DNS_SERVER,
};

enum ip4_config2_policy {
	IP4_CONFIG2_POLICY_STATIC,
	IP4_CONFIG2_POLICY_DHCP,
};

struct ip4_config2_interface_info {
	CHAR16 name[32];
	UINT8 if_type;
	UINT32 hw_address_size;
	EFI_MAC_ADDRESS hw_address;
	EFI_IPv4_ADDRESS station_address;
	EFI_IPv4_ADDRESS subnet_mask;
	UINT32 route_table_size;
	void *route_table;
};

struct ip4_config2 {
	EFI_STATUS(EFIAPI *set_data)(struct ip4_config2 *self, UINT32 type,
				     UINTN size, void *data);
	EFI_STATUS(EFIAPI *get_data)(struct ip4_config2 *self, UINT32 type,
				     UINTN *size, void *data);
	void *register_data_notify;
	void *unregister_data_notify;
};

/* --- Service binding: a child per user of a network protocol ------------ */

struct service_binding {
	EFI_STATUS(EFIAPI *create_child)(struct service_binding *self,
					 EFI_HANDLE *child);
	EFI_STATUS(EFIAPI *destroy_child)(struct service_binding *self,
					  EFI_HANDLE child);
};

/* --- HTTP (EFI_HTTP_PROTOCOL) ----------------------------------------- */

#define HTTP_SERVICE_BINDING_GUID \
	{ 0xbdc8e6af, 0xd9bc, 0x4379, { 0xa7, 0x2a, 0xe0, 0xc4, 0xe7, 0x5d, 0xae, 0x1c } }
#define HTTP_PROTOCOL_GUID \
	{ 0x7a59b29b, 0x910b, 0x4171, { 0x82, 0x42, 0xa8, 0x5a, 0x0d, 0xf2, 0x5b, 0x5b } }
#define TLS_SERVICE_BINDING_GUID \
	{ 0x952cb795, 0xff36, 0x48cf, { 0xa2, 0x49, 0x4d, 0xf4, 0x86, 0xd6, 0xab, 0x8d } }
/* EDK2's variable of the CA certificates its HTTP checks servers with
 * (NetworkPkg TlsAuthentication.h): "TlsCaCertificate" */
#define TLS_CA_CERTIFICATE_GUID \
	{ 0xfd2340d0, 0x3dab, 0x4349, { 0xa6, 0xc7, 0x3b, 0x4f, 0x12, 0xb4, 0x8e, 0xae } }

#define HTTP_VERSION_11 1
#define HTTP_METHOD_GET 0

/* EFI_HTTP_STATUS_CODE: the firmware's numbering of the statuses it
 * knows, in this order (0: one it does not know) */
#define HTTP_STATUS_CODES                                                  \
	0, 100, 101, 200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, \
	304, 305, 307, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409,    \
	410, 411, 412, 413, 414, 415, 416, 417, 500, 501, 502, 503, 504,    \
	505, 308, 429

struct http_v4_access_point {
	BOOLEAN use_default_address;
	EFI_IPv4_ADDRESS local_address;
	EFI_IPv4_ADDRESS local_subnet;
	UINT16 local_port;
};

struct http_config {
	UINT32 version;
	UINT32 timeout_ms;
	BOOLEAN local_address_is_ipv6;
	struct http_v4_access_point *ipv4_node;
};

struct http_request_data {
	UINT32 method;
	CHAR16 *url;
};

struct http_response_data {
	UINT32 status_code;
};

struct http_field {
	CHAR8 *name;
	CHAR8 *value;
};

struct http_message {
	union {
		struct http_request_data *request;
		struct http_response_data *response;
	} data;
	UINTN field_count;
	struct http_field *fields;
	UINTN body_length;
	void *body;
};

struct http_token {
	EFI_EVENT event;
	EFI_STATUS status;
	struct http_message *message;
};

struct http {
	void *get_mode_data;
	EFI_STATUS(EFIAPI *configure)(struct http *self, struct http_config *config);
	EFI_STATUS(EFIAPI *request)(struct http *self, struct http_token *token);
	EFI_STATUS(EFIAPI *cancel)(struct http *self, struct http_token *token);
	EFI_STATUS(EFIAPI *response)(struct http *self, struct http_token *token);
	EFI_STATUS(EFIAPI *poll)(struct http *self);
};


/* --- MTFTPv4 (EFI_MTFTP4_PROTOCOL) ------------------------------------ */

#define MTFTP4_SERVICE_BINDING_GUID \
	{ 0x2fe800be, 0x8f01, 0x4aa6, { 0x94, 0x6b, 0xd7, 0x13, 0x88, 0xe1, 0x83, 0x3f } }
#define MTFTP4_PROTOCOL_GUID \
	{ 0x78247c57, 0x63db, 0x4708, { 0x99, 0xc2, 0xa8, 0xb4, 0xa9, 0xa6, 0x1f, 0x6b } }

#define MTFTP4_OPCODE_DATA 3
#define MTFTP4_OPCODE_ERROR 5
#define MTFTP4_OPCODE_OACK 6

/* A TFTP packet as it came (RFC 1350), in network byte order */
struct mtftp4_packet {
	UINT16 opcode;
	UINT16 number; /* DATA: the block; ERROR: the error code */
	UINT8 data[];  /* DATA: the bytes; ERROR: the message */
} __attribute__((packed));

struct mtftp4_option {
	UINT8 *name;
	UINT8 *value;
};

struct mtftp4_config {
	BOOLEAN use_default_setting;
	EFI_IPv4_ADDRESS station_ip;
	EFI_IPv4_ADDRESS subnet_mask;
	UINT16 local_port;
	EFI_IPv4_ADDRESS gateway_ip;
	EFI_IPv4_ADDRESS server_ip;
	UINT16 initial_server_port;
	UINT16 try_count;
	UINT16 timeout_s;
};

struct mtftp4;

struct mtftp4_token {
	EFI_STATUS status;
	EFI_EVENT event;
	void *override_data;
	UINT8 *filename;
	UINT8 *mode;
	UINT32 option_count;
	struct mtftp4_option *options;
	UINT64 buffer_size;
	void *buffer;
	void *context;
	EFI_STATUS(EFIAPI *check_packet)(struct mtftp4 *self,
					 struct mtftp4_token *token,
					 UINT16 length, struct mtftp4_packet *packet);
	void *timeout_callback;
	void *packet_needed;
};

struct mtftp4 {
	void *get_mode_data;
	EFI_STATUS(EFIAPI *configure)(struct mtftp4 *self,
				      struct mtftp4_config *config);
	void *get_info;
	EFI_STATUS(EFIAPI *parse_options)(struct mtftp4 *self,
					  UINT32 packet_length,
					  struct mtftp4_packet *packet,
					  UINT32 *option_count,
					  struct mtftp4_option **options);
	EFI_STATUS(EFIAPI *read_file)(struct mtftp4 *self,
				      struct mtftp4_token *token);
	void *write_file;
	void *read_directory;
	void *poll;
};

/* --- DNSv4 (EFI_DNS4_PROTOCOL) ---------------------------------------- */

#define DNS4_SERVICE_BINDING_GUID \
	{ 0xb625b186, 0xe063, 0x44f7, { 0x89, 0x05, 0x6a, 0x74, 0xdc, 0x6f, 0x52, 0xb4 } }
#define DNS4_PROTOCOL_GUID \
	{ 0xae3d28cc, 0xe05b, 0x4fa1, { 0xa0, 0x11, 0x7e, 0xb5, 0x5a, 0x3f, 0x14, 0x01 } }

struct dns4_config {
	UINTN server_count;
	EFI_IPv4_ADDRESS *servers;
	BOOLEAN use_default_setting;
	BOOLEAN enable_cache;
	UINT8 protocol; /* 17: UDP */
	EFI_IPv4_ADDRESS station_ip;
	EFI_IPv4_ADDRESS subnet_mask;
	UINT16 local_port;
	UINT32 retry_count;
	UINT32 retry_interval_s;
};

struct dns4_host_addresses {
	UINT32 count;
	EFI_IPv4_ADDRESS *list;
};

struct dns4_token {
	EFI_EVENT event;
	EFI_STATUS status;
	UINT32 retry_count;
	UINT32 retry_interval_s;
	struct dns4_host_addresses *addresses;
};

struct dns4 {
	void *get_mode_data;
	EFI_STATUS(EFIAPI *configure)(struct dns4 *self, struct dns4_config *config);
	EFI_STATUS(EFIAPI *host_name_to_ip)(struct dns4 *self, CHAR16 *name,
					    struct dns4_token *token);
	void *ip_to_host_name;
	void *general_lookup;
	void *update_dns_cache;
	EFI_STATUS(EFIAPI *poll)(struct dns4 *self);
	EFI_STATUS(EFIAPI *cancel)(struct dns4 *self, struct dns4_token *token);
};

#endif
