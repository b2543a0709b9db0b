// libpq, loaded at run time: qsh opens libpq.so.5 with dlopen only when the database is a
// PostgreSQL URL, so the SQLite path never loads it (nor its twenty dependencies). The few
// prototypes and constants used are declared here (libpq-fe.h, stable ABI since 9.x).
#ifndef QSH_CPQ_H
#define QSH_CPQ_H

#include <stddef.h>

/// ConnStatusType values qsh tells apart.
enum { CPQ_CONNECTION_OK = 0, CPQ_CONNECTION_BAD = 1 };

/// ExecStatusType values qsh tells apart.
enum {
    CPQ_EMPTY_QUERY = 0,
    CPQ_COMMAND_OK = 1,
    CPQ_TUPLES_OK = 2,
    CPQ_BAD_RESPONSE = 5,
    CPQ_NONFATAL_ERROR = 6,
    CPQ_FATAL_ERROR = 7,
};

/// PGTransactionStatusType.
enum { CPQ_TRANS_IDLE = 0, CPQ_TRANS_ACTIVE = 1, CPQ_TRANS_INTRANS = 2, CPQ_TRANS_INERROR = 3, CPQ_TRANS_UNKNOWN = 4 };

/// Fields of PQresultErrorField.
enum { CPQ_DIAG_SQLSTATE = 'C', CPQ_DIAG_MESSAGE_PRIMARY = 'M', CPQ_DIAG_MESSAGE_DETAIL = 'D' };

/// A notification (PGnotify's first fields).
typedef struct {
    char *relname;
    int be_pid;
    char *extra;
} cpq_notify;

/// Loads libpq.so.5 once (RTLD_NOW | RTLD_LOCAL) and resolves its functions. Returns 0 when
/// it is usable; otherwise 1 with dlerror()'s text in `error` (at most `size` bytes).
int cpq_load(char *error, size_t size);

/// PQconnectdbParams (expand_dbname on: `keywords`/`values` end with "dbname" and the
/// user's URL or key/value text, which overrides the defaults before it), with a notice
/// processor that drops notices (libpq would print them to stderr). NULL-terminated arrays.
void *cpq_connect(const char *const *keywords, const char *const *values);
int cpq_status(const void *conn);
const char *cpq_error_message(const void *conn);
void cpq_finish(void *conn);
void cpq_reset(void *conn);
int cpq_server_version(const void *conn);
int cpq_transaction_status(const void *conn);
int cpq_backend_pid(const void *conn);
const char *cpq_host(const void *conn);
const char *cpq_port(const void *conn);
const char *cpq_user(const void *conn);
const char *cpq_db(const void *conn);
int cpq_socket(const void *conn);

void *cpq_exec(void *conn, const char *sql);
void *cpq_exec_params(void *conn, const char *sql, int count, const char *const *values, const int *lengths,
                      const int *formats);
int cpq_result_status(const void *result);
const char *cpq_result_error_field(const void *result, int field);
const char *cpq_result_error_message(const void *result);
int cpq_ntuples(const void *result);
int cpq_nfields(const void *result);
const char *cpq_fname(const void *result, int column);
unsigned int cpq_ftype(const void *result, int column);
const char *cpq_getvalue(const void *result, int row, int column);
int cpq_getlength(const void *result, int row, int column);
int cpq_getisnull(const void *result, int row, int column);
const char *cpq_cmd_tuples(void *result);
void cpq_clear(void *result);

int cpq_consume_input(void *conn);
/// The next notification received, or NULL; free it with cpq_freemem.
cpq_notify *cpq_notifies(void *conn);
void cpq_freemem(void *pointer);

#endif
