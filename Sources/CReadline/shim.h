// CReadline: GNU readline (libreadline-dev). <stdio.h> comes first because older
// readline and libedit headers use FILE without including it.
#ifndef QSH_CREADLINE_SHIM_H
#define QSH_CREADLINE_SHIM_H

#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

/// The completion entry point, set from Swift (a global of function-pointer type in C).
static inline void qsh_rl_set_attempted_completion(rl_completion_func_t *function) {
    rl_attempted_completion_function = function;
}

/// Turns readline's default file-name completion off when no candidate matches.
static inline void qsh_rl_set_attempted_completion_over(int value) {
    rl_attempted_completion_over = value;
}

/// The characters that separate words for completion.
static inline void qsh_rl_set_basic_word_break_characters(const char *characters) {
    rl_basic_word_break_characters = characters;
}

/// The version of the linked readline, for `qsh --version`.
static inline const char *qsh_rl_library_version(void) {
    return rl_library_version;
}

#endif
