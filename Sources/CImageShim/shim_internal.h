// Helpers shared by the PNG and JPEG shims; not part of the Swift-facing header.
#ifndef RESLAB_IMAGE_SHIM_INTERNAL_H
#define RESLAB_IMAGE_SHIM_INTERNAL_H

#include "CImageShim.h"

/// Copies `from` (or "unknown error" when NULL) into a message buffer, truncating.
void rl_copy_message(char *to, const char *from);

/// Counts a warning and keeps its code and text if the code was not seen before.
void rl_record_warning(rl_messages *messages, int code, const char *text);

#endif
