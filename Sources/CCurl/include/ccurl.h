// libcurl, loaded at run time: qsh opens libcurl.so.4 with dlopen only when a command talks
// to a qsh server, so the local path never loads it. The few prototypes and constants used
// are declared here (from curl.h 7.x/8.x, stable ABI), so building needs no curl headers.
#ifndef QSH_CCURL_H
#define QSH_CCURL_H

#include <stddef.h>

/// Option numbers (curl.h: type base + number).
enum {
    CCURLOPT_WRITEDATA = 10001,
    CCURLOPT_URL = 10002,
    CCURLOPT_ERRORBUFFER = 10010,
    CCURLOPT_WRITEFUNCTION = 20011,
    CCURLOPT_POSTFIELDS = 10015,
    CCURLOPT_USERAGENT = 10018,
    CCURLOPT_HTTPHEADER = 10023,
    CCURLOPT_HEADERDATA = 10029,
    CCURLOPT_CUSTOMREQUEST = 10036,
    CCURLOPT_NOPROGRESS = 43,
    CCURLOPT_XFERINFODATA = 10057,
    CCURLOPT_HEADERFUNCTION = 20079,
    CCURLOPT_HTTP_VERSION = 84,
    CCURLOPT_NOSIGNAL = 99,
    CCURLOPT_POSTFIELDSIZE_LARGE = 30120,
    CCURLOPT_TCP_NODELAY = 121,
    CCURLOPT_TIMEOUT_MS = 155,
    CCURLOPT_CONNECTTIMEOUT_MS = 156,
    CCURLOPT_XFERINFOFUNCTION = 20219,
};

/// Result codes qsh tells apart (CURLcode).
enum {
    CCURLE_OK = 0,
    CCURLE_UNSUPPORTED_PROTOCOL = 1,
    CCURLE_URL_MALFORMAT = 3,
    CCURLE_COULDNT_RESOLVE_HOST = 6,
    CCURLE_COULDNT_CONNECT = 7,
    CCURLE_WRITE_ERROR = 23,
    CCURLE_OPERATION_TIMEDOUT = 28,
    CCURLE_SSL_CONNECT_ERROR = 35,
    CCURLE_ABORTED_BY_CALLBACK = 42,
    CCURLE_GOT_NOTHING = 52,
    CCURLE_SEND_ERROR = 55,
    CCURLE_RECV_ERROR = 56,
    CCURLE_PEER_FAILED_VERIFICATION = 60,
};

/// CURL_ERROR_SIZE: the size of the buffer CURLOPT_ERRORBUFFER fills.
#define CCURL_ERROR_SIZE 256

typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*ccurl_progress_callback)(void *context, long long dltotal, long long dlnow, long long ultotal,
                                       long long ulnow);

/// Loads libcurl.so.4 once (RTLD_NOW | RTLD_LOCAL) and resolves its functions. Returns 0 when
/// it is usable; otherwise 1 with dlerror()'s text in `error` (at most `size` bytes).
int ccurl_load(char *error, size_t size);

void *ccurl_easy_init(void);
void ccurl_easy_cleanup(void *handle);
int ccurl_easy_perform(void *handle);
const char *ccurl_easy_strerror(int code);
/// CURLINFO_RESPONSE_CODE, 0 when none was received.
long ccurl_response_code(void *handle);
/// CURLINFO_OS_ERRNO: the errno of the last failed connect, 0 when none.
long ccurl_os_errno(void *handle);

int ccurl_setopt_long(void *handle, int option, long value);
int ccurl_setopt_pointer(void *handle, int option, const void *value);
int ccurl_setopt_offset(void *handle, int option, long long value);
int ccurl_setopt_data_callback(void *handle, int option, ccurl_data_callback callback);
int ccurl_setopt_progress_callback(void *handle, int option, ccurl_progress_callback callback);

void *ccurl_slist_append(void *list, const char *text);
void ccurl_slist_free_all(void *list);

#endif
