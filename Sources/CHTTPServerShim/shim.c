#include "http_server_shim.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <strings.h>

struct flow_http_server {
  struct MHD_Daemon *daemon;
  flow_http_handler handler;
  void *context;
  size_t max_body_bytes;
  uint16_t port;
  /// Requests whose request line has arrived and whose answer is not yet sent.
  atomic_int in_flight;
  /// Requests refused here, which the handler never sees: 413 (body too
  /// large) and 400 (a body length that could be read two ways).
  atomic_ulong too_large_count;
  atomic_ulong unframeable_count;
};

/// Lives from the request line to the completion notice (MHD's con_cls).
typedef struct request_state {
  char *target;
  uint8_t *body;
  size_t body_length;
  size_t body_capacity;
  int headers_seen;
  int too_large;
  char remote_address[INET6_ADDRSTRLEN];
} request_state;

typedef struct field_list {
  flow_http_field *fields;
  size_t count;
  size_t capacity;
  int failed;
} field_list;

static void client_address(struct MHD_Connection *connection, char *text, size_t size) {
  text[0] = '\0';
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == NULL || info->client_addr == NULL) return;
  const struct sockaddr *address = info->client_addr;
  socklen_t length = address->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                    : sizeof(struct sockaddr_in);
  if (getnameinfo(address, length, text, (socklen_t)size, NULL, 0, NI_NUMERICHOST) != 0)
    text[0] = '\0';
}

static void *request_began(void *cls, const char *uri, struct MHD_Connection *connection) {
  flow_http_server *server = cls;
  request_state *state = calloc(1, sizeof *state);
  if (state == NULL) return NULL;
  state->target = strdup(uri);
  if (state->target == NULL) {
    free(state);
    return NULL;
  }
  client_address(connection, state->remote_address, sizeof state->remote_address);
  atomic_fetch_add(&server->in_flight, 1);
  return state;
}

static void request_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                              enum MHD_RequestTerminationCode reason) {
  (void)connection;
  (void)reason;
  flow_http_server *server = cls;
  request_state *state = *con_cls;
  if (state == NULL) return;
  free(state->target);
  free(state->body);
  free(state);
  *con_cls = NULL;
  atomic_fetch_sub(&server->in_flight, 1);
}

struct MHD_Response *flow_http_response_copying(const void *body, size_t length) {
  return MHD_create_response_from_buffer(length, (void *)body, MHD_RESPMEM_MUST_COPY);
}

static enum MHD_Result queue_json(struct MHD_Connection *connection, unsigned int status,
                                  const char *json) {
  struct MHD_Response *response = flow_http_response_copying(json, strlen(json));
  if (response == NULL) return MHD_NO;
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  enum MHD_Result result = MHD_queue_response(connection, status, response);
  MHD_destroy_response(response);
  return result;
}

static enum MHD_Result answer_too_large(struct MHD_Connection *connection,
                                        flow_http_server *server) {
  atomic_fetch_add(&server->too_large_count, 1);
  char json[96];
  snprintf(json, sizeof json, "{\"error\":\"the request body is larger than %zu bytes\"}",
           server->max_body_bytes);
  return queue_json(connection, MHD_HTTP_CONTENT_TOO_LARGE, json);
}

/// Refuses, with `json` as the body, a request whose body length two
/// parties could read differently (request smuggling). The connection is
/// closed after the answer, so nothing sent after it is read as a request.
static enum MHD_Result answer_unframeable(struct MHD_Connection *connection,
                                          flow_http_server *server, const char *json) {
  atomic_fetch_add(&server->unframeable_count, 1);
  struct MHD_Response *response = flow_http_response_copying(json, strlen(json));
  if (response == NULL) return MHD_NO;
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
  enum MHD_Result result = MHD_queue_response(connection, MHD_HTTP_BAD_REQUEST, response);
  MHD_destroy_response(response);
  return result;
}

typedef struct header_survey {
  int content_lengths;
  int transfer_encodings;
  /// A name that is not an RFC 9110 token (whitespace before the colon), or
  /// one libmicrohttpd 0.9.75 glued to a folded value ("Content-Length2").
  int malformed;
} header_survey;

static int is_token(const char *name) {
  if (*name == '\0') return 0;
  for (const unsigned char *c = (const unsigned char *)name; *c != '\0'; c++) {
    if (!isalnum(*c) && strchr("!#$%&'*+-.^_`|~", *c) == NULL) return 0;
  }
  return 1;
}

static int names_framing_header(const char *name, const char *framing) {
  return strncasecmp(name, framing, strlen(framing)) == 0;
}

static enum MHD_Result survey_header(void *cls, enum MHD_ValueKind kind, const char *name,
                                     const char *value) {
  (void)kind;
  (void)value;
  header_survey *survey = cls;
  if (!is_token(name)) survey->malformed = 1;
  if (strcasecmp(name, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
    survey->content_lengths++;
  } else if (strcasecmp(name, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
    survey->transfer_encodings++;
  } else if (names_framing_header(name, MHD_HTTP_HEADER_CONTENT_LENGTH) ||
             names_framing_header(name, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
    survey->malformed = 1;
  }
  return MHD_YES;
}

/// Why the body's length cannot be trusted, as a JSON error, or NULL. RFC
/// 9112: more than one Content-Length, or one beside Transfer-Encoding, may
/// be refused (6.1, 6.3); whitespace before a colon must be (5.1); a folded
/// line (obs-fold) may be, and libmicrohttpd misreads it.
static const char *framing_problem(struct MHD_Connection *connection) {
  header_survey survey = {0};
  MHD_get_connection_values(connection, MHD_HEADER_KIND, survey_header, &survey);
  if (survey.malformed)
    return "{\"error\":\"a header line is malformed: whitespace before its colon, "
           "or a line folded onto the next\"}";
  if (survey.content_lengths > 1 ||
      (survey.content_lengths > 0 && survey.transfer_encodings > 0))
    return "{\"error\":\"the body's length is ambiguous: more than one Content-Length, "
           "or Content-Length with Transfer-Encoding\"}";
  return NULL;
}

/// MHD has already refused a malformed Content-Length; this only compares.
static int declared_length_exceeds(const char *declared, size_t limit) {
  errno = 0;
  unsigned long long length = strtoull(declared, NULL, 10);
  return errno == ERANGE || length > limit;
}

static enum MHD_Result collect_field(void *cls, enum MHD_ValueKind kind, const char *name,
                                     const char *value) {
  (void)kind;
  field_list *list = cls;
  if (list->count == list->capacity) {
    size_t capacity = list->capacity == 0 ? 16 : list->capacity * 2;
    flow_http_field *grown = realloc(list->fields, capacity * sizeof *grown);
    if (grown == NULL) {
      list->failed = 1;
      return MHD_NO;
    }
    list->fields = grown;
    list->capacity = capacity;
  }
  list->fields[list->count++] = (flow_http_field){name, value == NULL ? "" : value};
  return MHD_YES;
}

static enum MHD_Result answer(struct MHD_Connection *connection, flow_http_server *server,
                              request_state *state, const char *method) {
  field_list headers = {0};
  MHD_get_connection_values(connection, MHD_HEADER_KIND, collect_field, &headers);
  if (headers.failed) {
    free(headers.fields);
    return MHD_NO;
  }
  flow_http_request request = {
      .method = method,
      .target = state->target,
      .headers = headers.fields,
      .header_count = headers.count,
      .body = state->body,
      .body_length = state->body_length,
      .remote_address = state->remote_address,
  };
  unsigned int status = MHD_HTTP_INTERNAL_SERVER_ERROR;
  struct MHD_Response *response = server->handler(server->context, &request, &status);
  free(headers.fields);
  if (response == NULL)
    return queue_json(connection, MHD_HTTP_INTERNAL_SERVER_ERROR,
                      "{\"error\":\"the handler gave no response\"}");
  enum MHD_Result result = MHD_queue_response(connection, status, response);
  MHD_destroy_response(response);
  return result;
}

static int append_body(request_state *state, const char *data, size_t size, size_t limit) {
  if (size > limit - state->body_length) return 0;
  if (state->body_length + size > state->body_capacity) {
    size_t capacity = state->body_capacity == 0 ? 4096 : state->body_capacity;
    while (capacity < state->body_length + size) capacity *= 2;
    if (capacity > limit) capacity = limit;
    uint8_t *grown = realloc(state->body, capacity);
    if (grown == NULL) return 0;
    state->body = grown;
    state->body_capacity = capacity;
  }
  memcpy(state->body + state->body_length, data, size);
  state->body_length += size;
  return 1;
}

// Called once after the headers, once per body chunk, and once at the end.
static enum MHD_Result access_handler(void *cls, struct MHD_Connection *connection,
                                      const char *url, const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **con_cls) {
  (void)url;
  (void)version;
  flow_http_server *server = cls;
  request_state *state = *con_cls;
  if (state == NULL) return MHD_NO;  // out of memory when the request began
  if (!state->headers_seen) {
    state->headers_seen = 1;
    const char *problem = framing_problem(connection);
    if (problem != NULL) return answer_unframeable(connection, server, problem);
    const char *declared =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    // Answering now tells MHD not to read the body (and not to send 100 Continue).
    if (declared != NULL && declared_length_exceeds(declared, server->max_body_bytes))
      return answer_too_large(connection, server);
    return MHD_YES;
  }
  if (*upload_data_size != 0) {
    // A response cannot be queued while a chunk is being handed over, so an
    // oversized chunked body is dropped here and refused on the final call.
    if (!state->too_large &&
        !append_body(state, upload_data, *upload_data_size, server->max_body_bytes)) {
      state->too_large = 1;
      free(state->body);
      state->body = NULL;
      state->body_length = 0;
      state->body_capacity = 0;
    }
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (state->too_large) return answer_too_large(connection, server);
  return answer(connection, server, state, method);
}

static int socket_address(const char *text, uint16_t port, struct sockaddr_storage *address) {
  memset(address, 0, sizeof *address);
  struct sockaddr_in *v4 = (struct sockaddr_in *)address;
  if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    return AF_INET;
  }
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)address;
  if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    return AF_INET6;
  }
  return 0;
}

int flow_http_start(const char *address, uint16_t port, flow_http_limits limits,
                    flow_http_handler handler, void *context, flow_http_server **result) {
  *result = NULL;
  struct sockaddr_storage socket;
  int family = socket_address(address, port, &socket);
  if (family == 0) return FLOW_HTTP_BAD_ADDRESS;
  flow_http_server *server = calloc(1, sizeof *server);
  if (server == NULL) return FLOW_HTTP_START_FAILED;
  server->handler = handler;
  server->context = context;
  server->max_body_bytes = limits.max_body_bytes;
  atomic_init(&server->in_flight, 0);
  atomic_init(&server->too_large_count, 0);
  atomic_init(&server->unframeable_count, 0);

  struct MHD_OptionItem options[10];
  size_t count = 0;
  options[count++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &socket};
  options[count++] =
      (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)request_began, server};
  options[count++] =
      (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)request_completed, server};
  options[count++] =
      (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, limits.timeout_seconds, NULL};
  // Strict HTTP/1.1: no whitespace in header names, no Host-less 1.1 request,
  // so a proxy in front cannot read a request differently from us.
  options[count++] = (struct MHD_OptionItem){MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL};
  if (limits.max_connections > 0)
    options[count++] =
        (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, limits.max_connections, NULL};
  if (limits.max_connections_per_ip > 0)
    options[count++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                                               limits.max_connections_per_ip, NULL};
  if (limits.threads > 1)
    options[count++] =
        (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, limits.threads, NULL};
  options[count++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

  // ITC lets MHD_quiesce_daemon stop the listening without stopping the pool.
  unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC;
  if (family == AF_INET6) flags |= MHD_USE_IPv6;
  server->daemon = MHD_start_daemon(flags, port, NULL, NULL, access_handler, server,
                                    MHD_OPTION_ARRAY, options, MHD_OPTION_END);
  if (server->daemon == NULL) {
    int saved = errno;
    free(server);
    errno = saved;
    return FLOW_HTTP_START_FAILED;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
  server->port = info == NULL ? port : info->port;
  *result = server;
  return FLOW_HTTP_OK;
}

uint16_t flow_http_port(const flow_http_server *server) { return server->port; }

unsigned long flow_http_refused_count(flow_http_server *server, unsigned int status) {
  switch (status) {
    case MHD_HTTP_CONTENT_TOO_LARGE: return atomic_load(&server->too_large_count);
    case MHD_HTTP_BAD_REQUEST: return atomic_load(&server->unframeable_count);
    default: return 0;
  }
}

void flow_http_stop(flow_http_server *server, unsigned int grace_milliseconds) {
  MHD_socket listening = MHD_quiesce_daemon(server->daemon);
  if (listening != MHD_INVALID_SOCKET) close(listening);
  const struct timespec pause = {0, 5 * 1000 * 1000};
  for (unsigned int waited = 0;
       atomic_load(&server->in_flight) > 0 && waited < grace_milliseconds; waited += 5)
    nanosleep(&pause, NULL);
  MHD_stop_daemon(server->daemon);
  free(server);
}
