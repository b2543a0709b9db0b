// Resolves libpq's functions from libpq.so.5 at run time and forwards to them, so that qsh
// links no PostgreSQL library and builds without its headers (include/cpq.h).
#include "cpq.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

typedef void (*notice_processor)(void *, const char *);

static struct {
    void *(*connectdb)(const char *const *, const char *const *, int);
    int (*status)(const void *);
    char *(*error_message)(const void *);
    void (*finish)(void *);
    void (*reset)(void *);
    int (*server_version)(const void *);
    int (*transaction_status)(const void *);
    int (*backend_pid)(const void *);
    char *(*host)(const void *);
    char *(*port)(const void *);
    char *(*user)(const void *);
    char *(*db)(const void *);
    int (*socket)(const void *);
    notice_processor (*set_notice_processor)(void *, notice_processor, void *);
    void *(*exec)(void *, const char *);
    void *(*exec_params)(void *, const char *, int, const unsigned int *, const char *const *, const int *,
                         const int *, int);
    int (*result_status)(const void *);
    char *(*result_error_field)(const void *, int);
    char *(*result_error_message)(const void *);
    int (*ntuples)(const void *);
    int (*nfields)(const void *);
    char *(*fname)(const void *, int);
    unsigned int (*ftype)(const void *, int);
    char *(*getvalue)(const void *, int, int);
    int (*getlength)(const void *, int, int);
    int (*getisnull)(const void *, int, int);
    char *(*cmd_tuples)(void *);
    void (*clear)(void *);
    int (*consume_input)(void *);
    void *(*notifies)(void *);
    void (*freemem)(void *);
} pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];

static void load(void) {
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *reason = dlerror();
        strncpy(load_error, reason ? reason : "dlopen failed", sizeof load_error - 1);
        return;
    }
#define RESOLVE(field, name)                                                                              \
    do {                                                                                                   \
        *(void **)&pq.field = dlsym(library, name);                                                       \
        if (!pq.field) {                                                                                   \
            strncpy(load_error, "libpq.so.5 has no " name, sizeof load_error - 1);                        \
            return;                                                                                        \
        }                                                                                                  \
    } while (0)
    RESOLVE(connectdb, "PQconnectdbParams");
    RESOLVE(status, "PQstatus");
    RESOLVE(error_message, "PQerrorMessage");
    RESOLVE(finish, "PQfinish");
    RESOLVE(reset, "PQreset");
    RESOLVE(server_version, "PQserverVersion");
    RESOLVE(transaction_status, "PQtransactionStatus");
    RESOLVE(backend_pid, "PQbackendPID");
    RESOLVE(host, "PQhost");
    RESOLVE(port, "PQport");
    RESOLVE(user, "PQuser");
    RESOLVE(db, "PQdb");
    RESOLVE(socket, "PQsocket");
    RESOLVE(set_notice_processor, "PQsetNoticeProcessor");
    RESOLVE(exec, "PQexec");
    RESOLVE(exec_params, "PQexecParams");
    RESOLVE(result_status, "PQresultStatus");
    RESOLVE(result_error_field, "PQresultErrorField");
    RESOLVE(result_error_message, "PQresultErrorMessage");
    RESOLVE(ntuples, "PQntuples");
    RESOLVE(nfields, "PQnfields");
    RESOLVE(fname, "PQfname");
    RESOLVE(ftype, "PQftype");
    RESOLVE(getvalue, "PQgetvalue");
    RESOLVE(getlength, "PQgetlength");
    RESOLVE(getisnull, "PQgetisnull");
    RESOLVE(cmd_tuples, "PQcmdTuples");
    RESOLVE(clear, "PQclear");
    RESOLVE(consume_input, "PQconsumeInput");
    RESOLVE(notifies, "PQnotifies");
    RESOLVE(freemem, "PQfreemem");
#undef RESOLVE
}

int cpq_load(char *error, size_t size) {
    pthread_once(&once, load);
    if (pq.freemem && load_error[0] == 0) return 0;
    if (error && size > 0) {
        strncpy(error, load_error, size - 1);
        error[size - 1] = 0;
    }
    return 1;
}

static void ignore_notice(void *context, const char *message) {
    (void)context;
    (void)message;
}

void *cpq_connect(const char *const *keywords, const char *const *values) {
    void *conn = pq.connectdb(keywords, values, 1);
    if (conn) pq.set_notice_processor(conn, ignore_notice, NULL);
    return conn;
}
int cpq_status(const void *conn) { return pq.status(conn); }
const char *cpq_error_message(const void *conn) { return pq.error_message(conn); }
void cpq_finish(void *conn) { pq.finish(conn); }
void cpq_reset(void *conn) { pq.reset(conn); }
int cpq_server_version(const void *conn) { return pq.server_version(conn); }
int cpq_transaction_status(const void *conn) { return pq.transaction_status(conn); }
int cpq_backend_pid(const void *conn) { return pq.backend_pid(conn); }
const char *cpq_host(const void *conn) { return pq.host(conn); }
const char *cpq_port(const void *conn) { return pq.port(conn); }
const char *cpq_user(const void *conn) { return pq.user(conn); }
const char *cpq_db(const void *conn) { return pq.db(conn); }
int cpq_socket(const void *conn) { return pq.socket(conn); }

void *cpq_exec(void *conn, const char *sql) { return pq.exec(conn, sql); }
void *cpq_exec_params(void *conn, const char *sql, int count, const char *const *values, const int *lengths,
                      const int *formats) {
    return pq.exec_params(conn, sql, count, NULL, values, lengths, formats, 0);
}
int cpq_result_status(const void *result) { return pq.result_status(result); }
const char *cpq_result_error_field(const void *result, int field) { return pq.result_error_field(result, field); }
const char *cpq_result_error_message(const void *result) { return pq.result_error_message(result); }
int cpq_ntuples(const void *result) { return pq.ntuples(result); }
int cpq_nfields(const void *result) { return pq.nfields(result); }
const char *cpq_fname(const void *result, int column) { return pq.fname(result, column); }
unsigned int cpq_ftype(const void *result, int column) { return pq.ftype(result, column); }
const char *cpq_getvalue(const void *result, int row, int column) { return pq.getvalue(result, row, column); }
int cpq_getlength(const void *result, int row, int column) { return pq.getlength(result, row, column); }
int cpq_getisnull(const void *result, int row, int column) { return pq.getisnull(result, row, column); }
const char *cpq_cmd_tuples(void *result) { return pq.cmd_tuples(result); }
void cpq_clear(void *result) { pq.clear(result); }

int cpq_consume_input(void *conn) { return pq.consume_input(conn); }
cpq_notify *cpq_notifies(void *conn) { return (cpq_notify *)pq.notifies(conn); }
void cpq_freemem(void *pointer) { pq.freemem(pointer); }
