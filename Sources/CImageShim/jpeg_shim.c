#include "shim_internal.h"
#include <stdio.h>
#include <stddef.h>
#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct rl_jpeg_reader {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr errors;
    struct jpeg_progress_mgr progress;
    rl_messages *messages;
    jmp_buf jump;
    /// For an arithmetic-coded file: the copy being decoded, zero-padded before each marker that
    /// ends entropy-coded data (jpeg_padding.c); NULL otherwise.
    uint8_t *padded;
};

static void jpeg_on_error(j_common_ptr cinfo) {
    struct rl_jpeg_reader *r = (struct rl_jpeg_reader *)cinfo->client_data;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    rl_copy_message(r->messages->error, text);
    r->messages->error_code = cinfo->err->msg_code;
    longjmp(r->jump, 1);
}

/// Level −1 is a warning (corrupt data that libjpeg works around, often by filling grey);
/// higher levels are trace messages, which are ignored.
static void jpeg_on_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    struct rl_jpeg_reader *r = (struct rl_jpeg_reader *)cinfo->client_data;
    int code = cinfo->err->msg_code;
    // The padding left unread before a marker is skipped with this warning; it is ours, not the file's.
    if (r->padded && code == JWRN_EXTRANEOUS_DATA) return;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    // Huffman data that runs into the end-of-image marker: the file was cut short (and EOI
    // written after the cut). A progressive scan that runs into the next scan's marker is a
    // short scan of a whole file, which libjpeg decodes as its authors meant (jd_partial_progressive).
    if (code == JWRN_HIT_MARKER && cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->unread_marker == JPEG_EOI) {
        code = RL_JPEG_DATA_ENDS_AT_EOI;
        strncat(text, " (at the end of the file: the file was cut short)", sizeof text - strlen(text) - 1);
    }
    rl_record_warning(r->messages, code, text);
}

/// Whether the arithmetic decoder has met a marker inside a scan's data, and so has read all the
/// zero padding before it (jpeg_padding.c): the file was cut short. Between libjpeg's calls a
/// marker is pending (`unread_marker`) only when the entropy decoder met it: the marker reader
/// clears it as soon as it has processed one.
static int arithmetic_data_ended_early(struct rl_jpeg_reader *r) {
    if (!r->padded || r->cinfo.unread_marker == 0) return 0;
    j_decompress_ptr d = &r->cinfo;
    unsigned row = (unsigned)(d->input_iMCU_row * (JDIMENSION)d->max_v_samp_factor * DCTSIZE);
    if (row > d->image_height) row = d->image_height;
    snprintf(r->messages->error, RL_MESSAGE_SIZE,
             "its arithmetic-coded data ends before row %u of %u in scan %d (the file was cut short)",
             row, (unsigned)d->image_height, d->input_scan_number);
    r->messages->error_code = RL_JPEG_EARLY_END;
    return 1;
}

/// libjpeg's progress monitor, run between units of work (after every iMCU row a multi-scan file
/// reads, at every `jpeg_read_scanlines` call). Stops a file with more than RL_JPEG_MAX_SCANS
/// scans, as libjpeg-turbo's `djpeg -maxscans` does: libjpeg accepts any number of progressive
/// scans (with a warning), so a small file that repeats its last scan thousands of times decodes
/// for minutes; real progressive JPEGs have about 10. Stops an arithmetic-coded scan cut short.
static void jpeg_on_progress(j_common_ptr cinfo) {
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    struct rl_jpeg_reader *r = (struct rl_jpeg_reader *)cinfo->client_data;
    if (d->input_scan_number > RL_JPEG_MAX_SCANS) {
        snprintf(r->messages->error, RL_MESSAGE_SIZE,
                 "it has more than %d scans (real progressive JPEGs have about 10); such a file can take minutes to decode",
                 RL_JPEG_MAX_SCANS);
        r->messages->error_code = RL_JPEG_TOO_MANY_SCANS;
        longjmp(r->jump, 1);
    }
    if (arithmetic_data_ended_early(r)) longjmp(r->jump, 1);
}

rl_jpeg_reader *rl_jpeg_open(const uint8_t *data, size_t size, int scale_denom,
                             rl_jpeg_info *out, rl_messages *messages) {
    struct rl_jpeg_reader *r = calloc(1, sizeof *r);
    if (!r) { rl_copy_message(messages->error, "out of memory"); return NULL; }
    r->messages = messages;
    r->cinfo.err = jpeg_std_error(&r->errors);
    r->errors.error_exit = jpeg_on_error;
    r->errors.emit_message = jpeg_on_message;
    r->cinfo.client_data = r;
    if (setjmp(r->jump)) { rl_jpeg_close(r); return NULL; }
    jpeg_create_decompress(&r->cinfo);
    r->progress.progress_monitor = jpeg_on_progress;
    r->cinfo.progress = &r->progress;
    jpeg_mem_src(&r->cinfo, data, (unsigned long)size);
    jpeg_read_header(&r->cinfo, TRUE);
    if (r->cinfo.arith_code) {
        // Decode the zero-padded copy instead (jpeg_padding.c), so that a cut shows.
        size_t padded_size = 0;
        r->padded = rl_jpeg_pad_entropy_data(data, size, &padded_size);
        if (r->padded) {
            jpeg_abort_decompress(&r->cinfo);
            jpeg_mem_src(&r->cinfo, r->padded, (unsigned long)padded_size);
            jpeg_read_header(&r->cinfo, TRUE);
        }
    }
    J_COLOR_SPACE stored = r->cinfo.jpeg_color_space;
    if (stored == JCS_CMYK || stored == JCS_YCCK) r->cinfo.out_color_space = JCS_CMYK;
    else if (stored == JCS_GRAYSCALE) r->cinfo.out_color_space = JCS_GRAYSCALE;
    else r->cinfo.out_color_space = JCS_RGB;
    r->cinfo.scale_num = 1;
    r->cinfo.scale_denom = (unsigned int)scale_denom;
    jpeg_calc_output_dimensions(&r->cinfo);
    out->image_width = r->cinfo.image_width;
    out->image_height = r->cinfo.image_height;
    out->output_width = r->cinfo.output_width;
    out->output_height = r->cinfo.output_height;
    out->output_components = r->cinfo.output_components;
    out->jpeg_color_space = stored;
    out->adobe_marker = r->cinfo.saw_Adobe_marker;
    out->data_precision = r->cinfo.data_precision;
    out->progressive = r->cinfo.progressive_mode;
    out->arithmetic = r->cinfo.arith_code;
    return r;
}

int rl_jpeg_read(rl_jpeg_reader *r, uint8_t *pixels, size_t row_bytes, rl_messages *messages) {
    r->messages = messages;
    if (setjmp(r->jump)) return 1;
    jpeg_start_decompress(&r->cinfo);
    // Up to 16 rows per call rather than one: fewer trips through libjpeg's per-call bookkeeping.
    // (Imagenette 224², one thread: 2621 → 2934 img/s, measured once each under heavy shared load.)
    while (r->cinfo.output_scanline < r->cinfo.output_height) {
        JSAMPROW rows[16];
        JDIMENSION count = r->cinfo.output_height - r->cinfo.output_scanline;
        if (count > 16) count = 16;
        for (JDIMENSION i = 0; i < count; i++) rows[i] = pixels + (size_t)(r->cinfo.output_scanline + i) * row_bytes;
        jpeg_read_scanlines(&r->cinfo, rows, count);
    }
    // A single-scan file's last rows are decoded by the last call: check once more.
    if (arithmetic_data_ended_early(r)) return 1;
    jpeg_finish_decompress(&r->cinfo);
    return 0;
}

void rl_jpeg_close(rl_jpeg_reader *r) {
    if (!r) return;
    jpeg_destroy_decompress(&r->cinfo);
    free(r->padded);
    free(r);
}
