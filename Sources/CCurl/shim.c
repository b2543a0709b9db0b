// Resolves libcurl's functions from libcurl.so.4 at run time and wraps the variadic
// curl_easy_setopt/curl_easy_getinfo in typed functions Swift can call: each passes exactly
// the argument type curl.h documents for its option (long, pointer, curl_off_t, callback).
#include "ccurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

typedef int (*setopt_fn)(void *, int, ...);
typedef int (*getinfo_fn)(void *, int, ...);

static struct {
    int (*global_init)(long);
    void *(*easy_init)(void);
    void (*easy_cleanup)(void *);
    int (*easy_perform)(void *);
    const char *(*easy_strerror)(int);
    setopt_fn easy_setopt;
    getinfo_fn easy_getinfo;
    void *(*slist_append)(void *, const char *);
    void (*slist_free_all)(void *);
} curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];

static void load(void) {
    // Debian's libcurl4 (OpenSSL), else libcurl3-gnutls, which git already brings.
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) library = dlopen("libcurl-gnutls.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *reason = dlerror();
        strncpy(load_error, reason ? reason : "dlopen failed", sizeof load_error - 1);
        return;
    }
#define RESOLVE(field, name)                                                                              \
    do {                                                                                                   \
        *(void **)&curl.field = dlsym(library, name);                                                     \
        if (!curl.field) {                                                                                 \
            strncpy(load_error, "libcurl.so.4 has no " name, sizeof load_error - 1);                      \
            return;                                                                                        \
        }                                                                                                  \
    } while (0)
    RESOLVE(global_init, "curl_global_init");
    RESOLVE(easy_init, "curl_easy_init");
    RESOLVE(easy_cleanup, "curl_easy_cleanup");
    RESOLVE(easy_perform, "curl_easy_perform");
    RESOLVE(easy_strerror, "curl_easy_strerror");
    RESOLVE(easy_setopt, "curl_easy_setopt");
    RESOLVE(easy_getinfo, "curl_easy_getinfo");
    RESOLVE(slist_append, "curl_slist_append");
    RESOLVE(slist_free_all, "curl_slist_free_all");
#undef RESOLVE
    // CURL_GLOBAL_ALL (SSL); once, before any handle, as curl asks (not thread-safe).
    if (curl.global_init(3) != 0) {
        strncpy(load_error, "curl_global_init failed", sizeof load_error - 1);
        curl.easy_init = NULL;
    }
}

int ccurl_load(char *error, size_t size) {
    pthread_once(&once, load);
    if (curl.easy_init && load_error[0] == 0) return 0;
    if (error && size > 0) {
        strncpy(error, load_error, size - 1);
        error[size - 1] = 0;
    }
    return 1;
}

void *ccurl_easy_init(void) { return curl.easy_init(); }
void ccurl_easy_cleanup(void *handle) { curl.easy_cleanup(handle); }
int ccurl_easy_perform(void *handle) { return curl.easy_perform(handle); }
const char *ccurl_easy_strerror(int code) { return curl.easy_strerror(code); }

long ccurl_response_code(void *handle) {
    long code = 0;
    // CURLINFO_RESPONSE_CODE = CURLINFO_LONG (0x200000) + 2; the argument is a long *.
    if (curl.easy_getinfo(handle, 0x200000 + 2, &code) != 0) return 0;
    return code;
}

long ccurl_os_errno(void *handle) {
    long code = 0;
    // CURLINFO_OS_ERRNO = CURLINFO_LONG + 25.
    if (curl.easy_getinfo(handle, 0x200000 + 25, &code) != 0) return 0;
    return code;
}

int ccurl_setopt_long(void *handle, int option, long value) { return curl.easy_setopt(handle, option, value); }

int ccurl_setopt_pointer(void *handle, int option, const void *value) {
    return curl.easy_setopt(handle, option, value);
}

int ccurl_setopt_offset(void *handle, int option, long long value) {
    // curl_off_t is a 64-bit signed integer on every platform libcurl supports.
    return curl.easy_setopt(handle, option, (long long)value);
}

int ccurl_setopt_data_callback(void *handle, int option, ccurl_data_callback callback) {
    return curl.easy_setopt(handle, option, callback);
}

int ccurl_setopt_progress_callback(void *handle, int option, ccurl_progress_callback callback) {
    return curl.easy_setopt(handle, option, callback);
}

void *ccurl_slist_append(void *list, const char *text) { return curl.slist_append(list, text); }
void ccurl_slist_free_all(void *list) { curl.slist_free_all(list); }
