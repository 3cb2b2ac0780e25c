#include "shim_internal.h"
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct rl_png_reader {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size, offset;
    rl_messages *messages;
    jmp_buf jump;
};

static void png_on_error(png_structp png, png_const_charp message) {
    struct rl_png_reader *r = (struct rl_png_reader *)png_get_error_ptr(png);
    rl_copy_message(r->messages->error, message);
    longjmp(r->jump, 1);
}

static void png_on_warning(png_structp png, png_const_charp message) {
    struct rl_png_reader *r = (struct rl_png_reader *)png_get_error_ptr(png);
    rl_record_warning(r->messages, 0, message);
}

static void png_read_from_memory(png_structp png, png_bytep out, png_size_t length) {
    struct rl_png_reader *r = (struct rl_png_reader *)png_get_io_ptr(png);
    if (r->size - r->offset < length) png_error(png, "the file ends before the image data is complete (truncated)");
    memcpy(out, r->data + r->offset, length);
    r->offset += length;
}

rl_png_reader *rl_png_open(const uint8_t *data, size_t size, rl_png_info *out, rl_messages *messages) {
    struct rl_png_reader *r = calloc(1, sizeof *r);
    if (!r) { rl_copy_message(messages->error, "out of memory"); return NULL; }
    r->data = data; r->size = size; r->messages = messages;
    r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, r, png_on_error, png_on_warning);
    if (!r->png) { rl_copy_message(messages->error, "libpng could not start"); free(r); return NULL; }
    r->info = png_create_info_struct(r->png);
    if (!r->info || setjmp(r->jump)) { rl_png_close(r); return NULL; }
    png_set_read_fn(r->png, r, png_read_from_memory);
    png_read_info(r->png, r->info);
    out->color_type = png_get_color_type(r->png, r->info);
    out->stored_bit_depth = png_get_bit_depth(r->png, r->info);
    out->interlaced = png_get_interlace_type(r->png, r->info) != PNG_INTERLACE_NONE;
    png_set_expand(r->png);
    if (out->stored_bit_depth == 16) png_set_swap(r->png);  // host (little-endian) byte order
    png_set_interlace_handling(r->png);
    png_read_update_info(r->png, r->info);
    out->width = png_get_image_width(r->png, r->info);
    out->height = png_get_image_height(r->png, r->info);
    out->channels = png_get_channels(r->png, r->info);
    out->bit_depth = png_get_bit_depth(r->png, r->info);
    return r;
}

int rl_png_read(rl_png_reader *r, uint8_t *pixels, size_t row_bytes, rl_messages *messages) {
    r->messages = messages;
    png_uint_32 height = png_get_image_height(r->png, r->info);
    png_bytep *rows = malloc(sizeof(png_bytep) * height + 1);
    if (!rows) { rl_copy_message(messages->error, "out of memory"); return 1; }
    if (setjmp(r->jump)) { free(rows); return 1; }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + (size_t)y * row_bytes;
    png_read_image(r->png, rows);
    png_read_end(r->png, NULL);
    free(rows);
    return 0;
}

void rl_png_close(rl_png_reader *r) {
    if (!r) return;
    png_destroy_read_struct(&r->png, r->info ? &r->info : NULL, NULL);
    free(r);
}

// MARK: encoding

struct rl_png_writer {
    png_structp png;
    png_infop info;
    uint8_t *buffer;
    size_t size, capacity;
    rl_messages *messages;
    jmp_buf jump;
};

static void png_write_error(png_structp png, png_const_charp message) {
    struct rl_png_writer *w = (struct rl_png_writer *)png_get_error_ptr(png);
    rl_copy_message(w->messages->error, message);
    longjmp(w->jump, 1);
}

static void png_write_warning(png_structp png, png_const_charp message) {
    struct rl_png_writer *w = (struct rl_png_writer *)png_get_error_ptr(png);
    rl_record_warning(w->messages, 0, message);
}

static void png_write_to_memory(png_structp png, png_bytep data, png_size_t length) {
    struct rl_png_writer *w = (struct rl_png_writer *)png_get_io_ptr(png);
    if (w->size + length > w->capacity) {
        size_t capacity = w->capacity ? w->capacity : 4096;
        while (capacity < w->size + length) capacity *= 2;
        uint8_t *grown = realloc(w->buffer, capacity);
        if (!grown) png_error(png, "out of memory while encoding PNG");
        w->buffer = grown; w->capacity = capacity;
    }
    memcpy(w->buffer + w->size, data, length);
    w->size += length;
}

static void png_flush_nothing(png_structp png) { (void)png; }

int rl_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height, int channels,
                  uint8_t **out, size_t *out_size, rl_messages *messages) {
    static const int color_types[5] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                       PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA};
    if (channels < 1 || channels > 4) { rl_copy_message(messages->error, "PNG needs 1 to 4 channels"); return 1; }
    struct rl_png_writer w = {0};
    w.messages = messages;
    w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &w, png_write_error, png_write_warning);
    if (!w.png) { rl_copy_message(messages->error, "libpng could not start"); return 1; }
    w.info = png_create_info_struct(w.png);
    png_bytep *rows = malloc(sizeof(png_bytep) * height + 1);
    if (!w.info || !rows || setjmp(w.jump)) {
        if (!w.info || !rows) rl_copy_message(messages->error, "out of memory");
        png_destroy_write_struct(&w.png, &w.info);
        free(rows); free(w.buffer);
        return 1;
    }
    png_set_write_fn(w.png, &w, png_write_to_memory, png_flush_nothing);
    png_set_IHDR(w.png, w.info, width, height, 8, color_types[channels], PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(w.png, w.info);
    for (uint32_t y = 0; y < height; y++) rows[y] = (png_bytep)pixels + (size_t)y * width * channels;
    png_write_image(w.png, rows);
    png_write_end(w.png, NULL);
    png_destroy_write_struct(&w.png, &w.info);
    free(rows);
    *out = w.buffer; *out_size = w.size;
    return 0;
}

void rl_free(void *pointer) { free(pointer); }
