/* SOURCES: src/formats/meetingguide.c src/formats/text.c src/formats/multipart.c src/meetings/meeting.c src/meetings/schedule.c src/meetings/tz.c src/base/str.c src/base/mem.c src/base/arena.c src/base/utf8.c src/base/file.c */
/*
 * fuzz_meetingguide.c: libFuzzer target for the meeting feed importer.
 *
 * The first byte picks what to feed: 0 the JSON reader, 1 the CSV reader,
 * 2 detection by content, 3 the multipart parser (upload path); the rest
 * is the input.  Every meeting read is also written back out and read
 * again, and its text helpers are run, so the writer and the round trip
 * are exercised too.  Built without libical or libcurl: the parsing part
 * needs neither.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/meetingguide.h"
#include "formats/multipart.h"
#include "formats/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct mg_feed f, g;
	struct mg_options opt = { NULL, 1700000000 };
	struct buf out = BUF_INIT;
	const char *in;
	size_t len, i;
	int mode, rc;

	if (size < 1 || size > 256 * 1024)
		return 0;
	mode = data[0] & 3;
	in = (const char *)data + 1;
	len = size - 1;
	arena_init(&a);
	if (mode == 3) {
		struct mp_part parts[8];
		(void)multipart_parse(&a, "multipart/form-data; boundary=b", in, len, parts, 8);
		arena_free(&a);
		return 0;
	}
	if (data[0] & 4)
		opt.default_timezone = "America/Chicago";
	rc = mode == 0 ? mg_parse_json(&a, in, len, &opt, &f) :
	    mode == 1 ? mg_parse_csv(&a, in, len, &opt, &f) : mg_parse_any(&a, in, len, &opt, &f);
	if (rc == 0) {
		buf_putc(&out, '[');
		for (i = 0; i < f.n; i++) {
			char fp[33], u[256];
			if (i)
				buf_putc(&out, ',');
			mg_write_meeting(&out, &f.meetings[i]);
			meeting_fingerprint(&f.meetings[i], fp);
			(void)text_find_conference_url(f.meetings[i].notes, u, sizeof(u));
		}
		buf_putc(&out, ']');
		/* What we write we must read back, every meeting of it. */
		if (mg_parse_json(&a, out.data, out.len, &opt, &g) != 0 || g.n != f.n)
			abort();
	}
	{
		struct buf t = BUF_INIT;
		html_to_text(in, len, &t);
		buf_free(&t);
	}
	buf_free(&out);
	arena_free(&a);
	return 0;
}
