#include "shim_internal.h"
#include <string.h>

void rl_copy_message(char *to, const char *from) {
    strncpy(to, from ? from : "unknown error", RL_MESSAGE_SIZE - 1);
    to[RL_MESSAGE_SIZE - 1] = 0;
}

void rl_record_warning(rl_messages *m, int code, const char *text) {
    m->warning_count += 1;
    for (int i = 0; i < m->distinct_warning_count; i++) if (m->warning_codes[i] == code) return;
    if (m->distinct_warning_count == RL_MAX_WARNINGS) return;
    m->warning_codes[m->distinct_warning_count] = code;
    rl_copy_message(m->warning_messages[m->distinct_warning_count], text);
    m->distinct_warning_count += 1;
}
