// Helpers shared by the PNG and JPEG shims; not part of the Swift-facing header.
#ifndef RESLAB_IMAGE_SHIM_INTERNAL_H
#define RESLAB_IMAGE_SHIM_INTERNAL_H

#include "CImageShim.h"

/// Copies `from` (or "unknown error" when NULL) into a message buffer, truncating.
void rl_copy_message(char *to, const char *from);

/// Counts a warning and keeps its code and text if the code was not seen before.
void rl_record_warning(rl_messages *messages, int code, const char *text);

/// Bytes of zeros written before every marker that ends arithmetic-coded data (see jpeg_padding.c):
/// far more than a whole scan's decoder reads past its data (2–3 bytes, plus any zero bytes its
/// encoder left out), far fewer than a cut that matters takes away.
#define RL_JPEG_ARITH_PADDING 16

/// A copy of the JPEG `data` with RL_JPEG_ARITH_PADDING zero bytes before each restart marker and
/// each marker that ends a scan's entropy-coded data (other bytes unchanged), or NULL when the
/// file does not start with SOI or memory runs out. The caller frees it.
uint8_t *rl_jpeg_pad_entropy_data(const uint8_t *data, size_t size, size_t *out_size);

#endif
