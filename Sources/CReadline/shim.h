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

/* The interactive shell's settings and the readline state it reads (REPL/LineEditor.swift).
   These are C globals, which Swift 6 does not let code touch directly. */

/// Prompts and editing on `out` (stderr), readline's signal handlers off (qsh counts
/// SIGINT itself), keys read by `read_key`; words for completion end at blanks and `=` (`--output=js`),
/// may be quoted, and file names with blanks get quoted.
static inline void qsh_rl_setup(FILE *out, rl_getc_func_t *read_key) {
    rl_outstream = out;
    rl_readline_name = "qsh";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 1;
    rl_getc_function = read_key;
    rl_basic_word_break_characters = " \t\n=";
    rl_completer_quote_characters = "'\"";
    rl_filename_quote_characters = " \t\n\\\"'#$`;&|<>()";
}

/// Gives the output stream back to readline's default before it is closed.
static inline void qsh_rl_reset_output(void) { rl_outstream = NULL; }

/// The stream readline draws on.
static inline FILE *qsh_rl_output(void) { return rl_outstream; }

/// readline's state bits (RL_STATE_*).
static inline unsigned long qsh_rl_state(void) { return rl_readline_state; }

/// Moves the cursor to the end of the line being edited.
static inline void qsh_rl_point_to_end(void) { rl_point = rl_end; }

/// The line being edited (for completion).
static inline const char *qsh_rl_line(void) { return rl_line_buffer; }

/// How the matches of one completion are shown: in the given order, and as file names
/// (a `/` after folders, quoting of blanks) or as words (a space after the match);
/// `no_space` keeps readline from adding a space after a lone match (a folder).
static inline void qsh_rl_set_completion_style(int file_names, int no_space) {
    rl_sort_completion_matches = 0;
    rl_filename_completion_desired = file_names;
    rl_completion_suppress_append = no_space;
}

#endif
