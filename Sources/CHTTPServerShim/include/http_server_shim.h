// libmicrohttpd behind fixed-argument C functions (Swift cannot call its
// variadic start and info calls) plus the per-request bookkeeping that has to
// run on MHD's threads: collecting the body, enforcing its size limit, and
// counting requests in flight so a stop can let them finish.
#ifndef FLOWC_HTTP_SERVER_SHIM_H
#define FLOWC_HTTP_SERVER_SHIM_H

#include <stddef.h>
#include <stdint.h>

struct MHD_Response;

typedef struct flow_http_field {
  const char *name;
  const char *value;
} flow_http_field;

/// One whole request, valid only during the handler call.
typedef struct flow_http_request {
  const char *method;
  /// The request target exactly as sent: path, then `?query` if any.
  const char *target;
  const flow_http_field *headers;
  size_t header_count;
  const uint8_t *body;
  size_t body_length;
  /// Numeric client address (`127.0.0.1`, `::1`), or "" when unknown.
  const char *remote_address;
} flow_http_request;

/// Answers one request: returns a response made with MHD_create_response_*
/// and sets `*status`; NULL answers 500. Runs on the server's threads.
typedef struct MHD_Response *(*flow_http_handler)(
    void *context, const flow_http_request *request, unsigned int *status);

typedef struct flow_http_server flow_http_server;

typedef struct flow_http_limits {
  unsigned int threads;
  unsigned int timeout_seconds;
  size_t max_body_bytes;
  /// Open connections at once, in all (0: libmicrohttpd's default).
  unsigned int max_connections;
  /// Open connections at once from one client address (0: no limit).
  unsigned int max_connections_per_ip;
} flow_http_limits;

enum {
  FLOW_HTTP_OK = 0,
  /// The address is not a numeric IPv4 or IPv6 address.
  FLOW_HTTP_BAD_ADDRESS = 1,
  /// MHD could not start (port taken, no permission); errno tells why.
  FLOW_HTTP_START_FAILED = 2,
};

/// A response holding its own copy of `body` (MHD_RESPMEM_MUST_COPY).
struct MHD_Response *flow_http_response_copying(const void *body, size_t length);

/// Starts listening on `address`:`port` (port 0 picks a free one).
int flow_http_start(const char *address, uint16_t port, flow_http_limits limits,
                    flow_http_handler handler, void *context,
                    flow_http_server **server);

/// The port the server is bound to.
uint16_t flow_http_port(const flow_http_server *server);

/// How many requests the server refused with `status` before any handler
/// saw them: 413 (body over the limit) or 400 (a body length that could be
/// read two ways: repeated or conflicting length headers, malformed header lines).
unsigned long flow_http_refused_count(flow_http_server *server, unsigned int status);

/// Stops accepting, waits up to `grace_milliseconds` for requests in flight
/// to be answered, then shuts down and frees the server.
void flow_http_stop(flow_http_server *server, unsigned int grace_milliseconds);

#endif
