/*
 * Unit tests for formats/text.c: HTML in feed notes made plain (tags,
 * links, entities, things that only look like tags), links to online
 * meetings found in text, URL checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "formats/text.h"

static char out[4096];

static const char *
plain(const char *in)
{
	struct buf b = BUF_INIT;

	html_to_text(in, strlen(in), &b);
	snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static void
test_tags_and_breaks(void **state)
{
	(void)state;
	assert_string_equal(plain("<b>Zoom:</b> 123"), "Zoom: 123");
	assert_string_equal(plain("Format Varies\n<br />Monday - Step\n<br />Tuesday"),
	    "Format Varies\nMonday - Step\nTuesday");
	assert_string_equal(plain("<p>One</p><p>Two</p>"), "One\n\nTwo");
	assert_string_equal(plain("a<br><br><br><br>b"), "a\n\nb");
	assert_string_equal(plain("  spaced   out  \r\n\r\n\r\n  text "), "spaced out\n\ntext");
	assert_string_equal(plain("<ul><li>one</li><li>two</li></ul>"), "one\ntwo");
	assert_string_equal(plain("<SCRIPT>alert(1)</script>safe"), "safe");
	assert_string_equal(plain("<style>p{}</style>x<!-- hidden -->y"), "xy");
	assert_string_equal(plain("plain text"), "plain text");
	assert_string_equal(plain(""), "");
}

static void
test_not_tags_kept(void **state)
{
	(void)state;
	/* Real feeds say "Password: <none>": not HTML, kept. */
	assert_string_equal(plain("<b>Password:</b> <none>"), "Password: <none>");
	assert_string_equal(plain("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
	assert_string_equal(plain("<3 you"), "<3 you");
	assert_string_equal(plain("<b"), "<b");
}

static void
test_links_become_urls(void **state)
{
	(void)state;
	assert_string_equal(plain("<a href=\"https://zoom.us/j/1?pwd=x\">https://zoom.us/j/1</a>"),
	    "https://zoom.us/j/1?pwd=x");
	assert_string_equal(plain("See <a href='https://example.org/map'>the map</a>."),
	    "See the map (https://example.org/map).");
	assert_string_equal(plain("<a href=\"mailto:x@example.org\">x@example.org</a>"),
	    "mailto:x@example.org");
	assert_string_equal(plain("<a href=\"javascript:alert(1)\">click</a>"), "click");
	assert_string_equal(plain("<a href=\"https://a.example/?x=1&amp;y=2\">go</a>"),
	    "go (https://a.example/?x=1&y=2)");
	assert_string_equal(plain("<a href=\"https://a.example/\">unclosed"),
	    "unclosed (https://a.example/)");
}

static void
test_entities(void **state)
{
	(void)state;
	assert_string_equal(plain("Caring &amp; Sharing"), "Caring & Sharing");
	assert_string_equal(plain("&lt;none&gt; &quot;q&quot; &#39;s&#39;"), "<none> \"q\" 's'");
	assert_string_equal(plain("Reuni&oacute;n &#xF1;o&#241;o"), "Reunión ñoño");
	assert_string_equal(plain("caf&eacute;&nbsp;ok"), "café ok");
	assert_string_equal(plain("&bogus; &#0; &#xD800; &#99999999;"), "&bogus; &#99999999;");
	assert_string_equal(plain("AT&T"), "AT&T");
}

static void
test_conference_links(void **state)
{
	char u[256];

	(void)state;
	assert_true(text_find_conference_url("Zoom: https://us02web.zoom.us/j/123456789\nMeeting",
	    u, sizeof(u)));
	assert_string_equal(u, "https://us02web.zoom.us/j/123456789");
	assert_true(text_find_conference_url("join https://meet.google.com/abc-defg-hij.", u,
	    sizeof(u)));
	assert_string_equal(u, "https://meet.google.com/abc-defg-hij");
	assert_true(text_find_conference_url("(https://teams.microsoft.com/l/x)", u, sizeof(u)));
	assert_string_equal(u, "https://teams.microsoft.com/l/x");
	assert_false(text_find_conference_url("map https://example.org/zoom.us", u, sizeof(u)));
	assert_false(text_find_conference_url("https://notzoom.us/j/1", u, sizeof(u)));
	assert_false(text_find_conference_url("no links", u, sizeof(u)));
	assert_false(text_find_conference_url("https://zoom.us/j/123456789", u, 10));
	assert_true(text_find_conference_url("see https://example.org then https://zoom.us/j/9",
	    u, sizeof(u)));
	assert_string_equal(u, "https://zoom.us/j/9");
}

static void
test_urls(void **state)
{
	(void)state;
	assert_true(text_is_http_url("https://zoom.us/j/1"));
	assert_true(text_is_http_url("http://example.org"));
	assert_false(text_is_http_url("javascript:alert(1)"));
	assert_false(text_is_http_url("https://"));
	assert_false(text_is_http_url("https://a b"));
	assert_false(text_is_http_url("https://a\"onmouseover=x"));
	assert_false(text_is_http_url(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tags_and_breaks),
		cmocka_unit_test(test_not_tags_kept),
		cmocka_unit_test(test_links_become_urls),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_conference_links),
		cmocka_unit_test(test_urls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
