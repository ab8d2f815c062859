// Fixed-argument wrappers around libcurl's variadic calls, which Swift cannot
// call directly. Everything else in <curl/curl.h> is used as is.
#ifndef FLOWC_CCURL_SHIM_H
#define FLOWC_CCURL_SHIM_H

#include <curl/curl.h>

CURLcode flowc_curl_set_long(CURL *handle, CURLoption option, long value);
CURLcode flowc_curl_set_size(CURL *handle, CURLoption option, curl_off_t value);
CURLcode flowc_curl_set_string(CURL *handle, CURLoption option, const char *value);
CURLcode flowc_curl_set_pointer(CURL *handle, CURLoption option, void *value);
CURLcode flowc_curl_set_read_function(CURL *handle, curl_read_callback callback);
/// The last response code the server sent (an SMTP reply code), or 0.
long flowc_curl_response_code(CURL *handle);

#endif
