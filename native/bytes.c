/*
 * rxo-bytes: a Node-API addon for two passes over output bytes that JavaScript makes slowly, one
 * line at a time (the bench's logging and terminal-throughput scenarios, issue 12):
 *
 *   mark(src, srcLength, prefix, dst, dstOffset, maxLine)
 *       Process-log lines. Writes into dst from dstOffset: for each line of src[0, srcLength)
 *       (cut at '\n'; a last '\n' ends the last line and starts none), the prefix, the line, '\n'.
 *       A line longer than maxLine bytes is written in pieces of at most maxLine bytes, each a line
 *       of its own, cut before a UTF-8 lead byte (never inside a character). Returns the bytes
 *       written, or minus the bytes needed (writing nothing) when dst has not that much room after
 *       dstOffset.
 *   collapse(src, srcLength, dst, dstOffset)
 *       Terminal output as text: copies src[0, srcLength) into dst from dstOffset leaving out each
 *       '\r' that comes right before a '\n' (the terminal's '\r\n' for a newline); returns the
 *       bytes written. dst must have srcLength bytes of room (it is never more).
 *
 * Nothing here allocates or keeps a reference: the buffers belong to the caller.
 */
#include <node_api.h>
#include <stdint.h>
#include <string.h>

#define CHECK(call)                     \
  do {                                  \
    if ((call) != napi_ok) return NULL; \
  } while (0)

/* Where a piece starting at `start` ends when the line goes on past start + max: the last lead
 * byte (or ASCII) at or before start + max, so no character is cut; start + max when there is none
 * (bytes that are not UTF-8 at all). */
static size_t piece_end(const uint8_t *src, size_t start, size_t max) {
  size_t end = start + max;
  while (end > start && (src[end] & 0xC0) == 0x80) end--;
  return end > start ? end : start + max;
}

/* Walks the lines and pieces of src; writes them when dst is given; returns the bytes they take. */
static size_t walk(const uint8_t *src, size_t length, const uint8_t *prefix, size_t prefix_length, uint8_t *dst, size_t max) {
  size_t at = 0, out = 0;
  while (at < length) {
    const uint8_t *newline = memchr(src + at, '\n', length - at);
    size_t line_end = newline ? (size_t)(newline - src) : length;
    size_t start = at;
    do {
      size_t end = line_end - start > max ? piece_end(src, start, max) : line_end;
      if (dst) {
        memcpy(dst + out, prefix, prefix_length);
        memcpy(dst + out + prefix_length, src + start, end - start);
        dst[out + prefix_length + end - start] = '\n';
      }
      out += prefix_length + end - start + 1;
      start = end;
    } while (start < line_end);
    at = line_end + 1;
  }
  return out;
}

static napi_value mark(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6], result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 6) {
    napi_throw_type_error(env, NULL, "mark(src, srcLength, prefix, dst, dstOffset, maxLine)");
    return NULL;
  }
  void *src, *prefix, *dst;
  size_t src_size, prefix_size, dst_size;
  int64_t src_length, dst_offset, max_line;
  CHECK(napi_get_buffer_info(env, argv[0], &src, &src_size));
  CHECK(napi_get_value_int64(env, argv[1], &src_length));
  CHECK(napi_get_buffer_info(env, argv[2], &prefix, &prefix_size));
  CHECK(napi_get_buffer_info(env, argv[3], &dst, &dst_size));
  CHECK(napi_get_value_int64(env, argv[4], &dst_offset));
  CHECK(napi_get_value_int64(env, argv[5], &max_line));
  if (src_length < 0 || (uint64_t)src_length > src_size || dst_offset < 0 || (uint64_t)dst_offset > dst_size || max_line < 1) {
    napi_throw_range_error(env, NULL, "mark: a length, an offset or maxLine out of range");
    return NULL;
  }
  size_t needed = walk(src, (size_t)src_length, prefix, prefix_size, NULL, (size_t)max_line);
  if (needed > dst_size - (size_t)dst_offset) {
    CHECK(napi_create_double(env, -(double)needed, &result));
    return result;
  }
  walk(src, (size_t)src_length, prefix, prefix_size, (uint8_t *)dst + dst_offset, (size_t)max_line);
  CHECK(napi_create_double(env, (double)needed, &result));
  return result;
}

static napi_value collapse(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) {
    napi_throw_type_error(env, NULL, "collapse(src, srcLength, dst, dstOffset)");
    return NULL;
  }
  void *src_data, *dst_data;
  size_t src_size, dst_size;
  int64_t src_length, dst_offset;
  CHECK(napi_get_buffer_info(env, argv[0], &src_data, &src_size));
  CHECK(napi_get_value_int64(env, argv[1], &src_length));
  CHECK(napi_get_buffer_info(env, argv[2], &dst_data, &dst_size));
  CHECK(napi_get_value_int64(env, argv[3], &dst_offset));
  if (src_length < 0 || (uint64_t)src_length > src_size || dst_offset < 0 || (uint64_t)dst_offset > dst_size || (uint64_t)src_length > dst_size - (uint64_t)dst_offset) {
    napi_throw_range_error(env, NULL, "collapse: a length or an offset out of range");
    return NULL;
  }
  const uint8_t *src = src_data;
  uint8_t *dst = (uint8_t *)dst_data + dst_offset;
  size_t length = (size_t)src_length, at = 0, out = 0;
  while (at < length) {
    const uint8_t *cr = memchr(src + at, '\r', length - at);
    size_t end = cr ? (size_t)(cr - src) : length;
    /* memmove: src and dst may be the same buffer (dst never runs ahead of src). */
    memmove(dst + out, src + at, end - at);
    out += end - at;
    if (!cr) break;
    if (end + 1 < length && src[end + 1] == '\n') at = end + 1; /* dropped: the '\n' is copied next */
    else {
      dst[out++] = '\r';
      at = end + 1;
    }
  }
  CHECK(napi_create_double(env, (double)out, &result));
  return result;
}

NAPI_MODULE_INIT() {
  struct { const char *name; napi_callback fn; } methods[] = {{"mark", mark}, {"collapse", collapse}};
  for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) {
    napi_value fn;
    if (napi_create_function(env, methods[i].name, NAPI_AUTO_LENGTH, methods[i].fn, NULL, &fn) != napi_ok) return NULL;
    if (napi_set_named_property(env, exports, methods[i].name, fn) != napi_ok) return NULL;
  }
  return exports;
}
