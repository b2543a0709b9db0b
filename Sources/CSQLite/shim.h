// CSQLite: the system SQLite (libsqlite3-dev) plus wrappers for what Swift
// cannot call directly: the destructor macros and variadic configuration calls.
#ifndef QSH_CSQLITE_SHIM_H
#define QSH_CSQLITE_SHIM_H

#include <sqlite3.h>

/// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
static inline sqlite3_destructor_type qsh_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/// SQLITE_STATIC: the bound bytes outlive the statement's use of them.
static inline sqlite3_destructor_type qsh_sqlite_static(void) {
    return SQLITE_STATIC;
}

/// sqlite3_db_config for the integer options (variadic in C).
static inline int qsh_sqlite_db_config_int(sqlite3 *db, int op, int value, int *result) {
    return sqlite3_db_config(db, op, value, result);
}

#endif
