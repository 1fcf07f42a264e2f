/* Host tests for lib/elf_note.c: elf_note_find, the walk behind exec's
 * kernel-mode trust decision. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <cmocka.h>

#include <amphi/elf_note.h>

/* Every buffer handed to elf_note_find ends exactly at a PROT_NONE page:
 * a read past len faults, with or without a sanitizer. */
static uint8_t *area;
static size_t page;

static int setup(void **state)
{
	(void)state;
	page = (size_t)sysconf(_SC_PAGESIZE);
	area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || mprotect(area + page, page, PROT_NONE))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	munmap(area, 2 * page);
	return 0;
}

static int find_at_end(const void *src, uint32_t len, const char *name, uint32_t type)
{
	assert_true(len <= page);
	uint8_t *dst = area + page - len;
	memcpy(dst, src, len);
	return elf_note_find(dst, len, name, type);
}

/* A run of notes under construction. */
struct notes {
	uint8_t b[1024];
	uint32_t len;
};

static void put32(struct notes *n, uint32_t v)
{
	memcpy(n->b + n->len, &v, 4);
	n->len += 4;
}

/* size bytes of src, then zeros to the next multiple of 4. */
static void put_padded(struct notes *n, const void *src, uint32_t size)
{
	if (size)
		memcpy(n->b + n->len, src, size);
	n->len += size;
	while (n->len & 3)
		n->b[n->len++] = 0;
}

/* A well-formed note; name is namesz bytes as given (NUL or not). */
static void add(struct notes *n, const char *name, uint32_t namesz, uint32_t type,
		const void *desc, uint32_t descsz)
{
	put32(n, namesz);
	put32(n, descsz);
	put32(n, type);
	put_padded(n, name, namesz);
	put_padded(n, desc, descsz);
}

static int find(const struct notes *n, uint32_t len)
{
	return find_at_end(n->b, len, AMPHI_NOTE_NAME, AMPHI_NOTE_KMODE);
}

/* The note apps/stack_overflow.c emits: .long 6, 0, 1; .asciz "amphi"; .balign 4 */
static const uint8_t kmode_note[20] = {
	6, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 'a', 'm', 'p', 'h', 'i', 0, 0, 0,
};

static void test_the_kmode_note(void **state)
{
	(void)state;
	assert_int_equal(find_at_end(kmode_note, sizeof(kmode_note), "amphi", 1), 1);
	struct notes n = { .len = 0 };
	add(&n, "amphi", 6, AMPHI_NOTE_KMODE, NULL, 0);
	assert_int_equal(n.len, sizeof(kmode_note));
	assert_memory_equal(n.b, kmode_note, sizeof(kmode_note));
	/* The padding after the name is not part of it. */
	uint8_t dirty[20];
	memcpy(dirty, kmode_note, sizeof(dirty));
	dirty[18] = 0xAA;
	dirty[19] = 0x55;
	assert_int_equal(find_at_end(dirty, sizeof(dirty), "amphi", 1), 1);
}

static void test_empty_and_truncated(void **state)
{
	(void)state;
	assert_int_equal(elf_note_find(NULL, 0, "amphi", 1), 0);
	assert_int_equal(find_at_end(kmode_note, 0, "amphi", 1), 0);
	/* Every cut of the note, header included, is refused. */
	for (uint32_t len = 1; len < sizeof(kmode_note); len++)
		assert_int_equal(find_at_end(kmode_note, len, "amphi", 1), 0);
}

static void test_zero_length_notes(void **state)
{
	(void)state;
	struct notes n = { .len = 0 };
	add(&n, "", 0, 0, NULL, 0);
	add(&n, "", 0, AMPHI_NOTE_KMODE, NULL, 0);
	assert_int_equal(n.len, 24);
	assert_int_equal(find(&n, n.len), 0);
	/* namesz 0 is not the name "" (namesz 1). */
	assert_int_equal(find_at_end(n.b, n.len, "", 0), 0);
	add(&n, "amphi", 6, AMPHI_NOTE_KMODE, NULL, 0);
	assert_int_equal(find(&n, n.len), 1);
}

static void test_len_not_multiple_of_4(void **state)
{
	(void)state;
	uint8_t b[24] = { 0 };
	memcpy(b, kmode_note, sizeof(kmode_note));
	/* Trailing bytes too short for a header are ignored. */
	for (uint32_t extra = 1; extra <= 3; extra++)
		assert_int_equal(find_at_end(b, sizeof(kmode_note) + extra, "amphi", 1), 1);
	/* The name fits but its padding does not: refused, as exec always did. */
	assert_int_equal(find_at_end(kmode_note, 18, "amphi", 1), 0);
	/* Likewise a descriptor whose padding is cut. */
	struct notes n = { .len = 0 };
	add(&n, "amphi", 6, AMPHI_NOTE_KMODE, "d", 1);
	assert_int_equal(n.len, 24);
	assert_int_equal(find(&n, 24), 1);
	assert_int_equal(find(&n, 21), 0);
}

static void test_match_is_second(void **state)
{
	(void)state;
	uint8_t id[20];
	memset(id, 0xC3, sizeof(id));
	struct notes n = { .len = 0 };
	add(&n, "GNU", 4, 3, id, sizeof(id));       /* a build-id note */
	add(&n, "amphi", 6, AMPHI_NOTE_KMODE, NULL, 0);
	assert_int_equal(find(&n, n.len), 1);
	/* Cut inside the second note: the first alone does not match. */
	assert_int_equal(find(&n, n.len - 1), 0);
	assert_int_equal(find(&n, 12 + 4 + 20), 0);
	/* Odd sizes in the first note are skipped with their padding. */
	n.len = 0;
	add(&n, "ab", 3, 7, "xyz", 3);
	add(&n, "amphi", 6, AMPHI_NOTE_KMODE, "q", 1);
	assert_int_equal(find(&n, n.len), 1);
}

static void test_right_name_wrong_type(void **state)
{
	(void)state;
	struct notes n = { .len = 0 };
	add(&n, "amphi", 6, 0, NULL, 0);
	add(&n, "amphi", 6, 2, NULL, 0);
	add(&n, "amphi", 6, 0x100 | AMPHI_NOTE_KMODE, NULL, 0);
	assert_int_equal(find(&n, n.len), 0);
	assert_int_equal(find_at_end(n.b, n.len, "amphi", 2), 1);
	add(&n, "amphi", 6, AMPHI_NOTE_KMODE, NULL, 0);
	assert_int_equal(find(&n, n.len), 1);
	/* The right type under another name. */
	n.len = 0;
	add(&n, "GNU", 4, AMPHI_NOTE_KMODE, NULL, 0);
	assert_int_equal(find(&n, n.len), 0);
}

static void test_near_names(void **state)
{
	(void)state;
	static const struct { const char *name; uint32_t namesz; } bad[] = {
		{ "amphiX", 7 },        /* longer */
		{ "amph", 5 },          /* prefix */
		{ "amphiX", 6 },        /* right size, no NUL */
		{ "amphi", 5 },         /* no NUL */
		{ "AMPHI", 6 },
		{ "amphi\0\0", 7 },     /* NUL, then more name */
		{ "amphi\0\0\0", 8 },
		{ "", 1 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct notes n = { .len = 0 };
		add(&n, bad[i].name, bad[i].namesz, AMPHI_NOTE_KMODE, NULL, 0);
		assert_int_equal(find(&n, n.len), 0);
	}
	/* The name asked for decides: "amphiX" finds its own note only. */
	struct notes n = { .len = 0 };
	add(&n, "amphiX", 7, 1, NULL, 0);
	assert_int_equal(find_at_end(n.b, n.len, "amphiX", 1), 1);
	assert_int_equal(find_at_end(n.b, n.len, "amphi", 1), 0);
	assert_int_equal(find_at_end(n.b, n.len, "amph", 1), 0);
}

/* A header with these sizes, then a good note that must not be reached. */
static int hostile(uint32_t namesz, uint32_t descsz)
{
	struct notes n = { .len = 0 };
	put32(&n, namesz);
	put32(&n, descsz);
	put32(&n, 0);
	put_padded(&n, "amphi", 6);
	add(&n, "amphi", 6, AMPHI_NOTE_KMODE, NULL, 0);
	return find(&n, n.len);
}

static void test_hostile_sizes(void **state)
{
	(void)state;
	/* The sanity case: a sane first note lets the walk reach the second. */
	assert_int_equal(hostile(6, 0), 1);
	static const uint32_t huge[] = {
		0xFFFFFFFFu, 0xFFFFFFFEu, 0xFFFFFFFDu,  /* padded to 4 they wrap to 0 */
		0xFFFFFFFCu, 0xFFFFFFF4u, 0xFFFFFFF0u,  /* offset arithmetic wraps */
		0x80000000u, 0x7FFFFFFFu, 0x10000u, 257, 41,
	};
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		assert_int_equal(hostile(huge[i], 0), 0);
		assert_int_equal(hostile(6, huge[i]), 0);
		assert_int_equal(hostile(huge[i], huge[i]), 0);
	}
	/* descsz that would bring off back to the note's own start, and one
	 * whose padding wraps to 0, landing exactly on the following note. */
	assert_int_equal(hostile(6, (uint32_t)-(12 + 8)), 0);
	assert_int_equal(hostile(6, 0xFFFFFFFDu), 0);
	/* Each size alone fits the buffer, the two together do not. */
	assert_int_equal(hostile(24, 24), 0);
	/* A buffer full of 0xFF, the largest exec reads. */
	uint8_t ff[256];
	memset(ff, 0xFF, sizeof(ff));
	assert_int_equal(find_at_end(ff, sizeof(ff), "amphi", 1), 0);
}

/* The loop has_kmode_note ran before elf_note_find (exec reads at most 256
 * bytes), kept to show the refactor did not change a decision. */
static int old_has_kmode_note(const uint8_t *buf, uint32_t n)
{
	for (uint32_t off = 0; off + 12 <= n;) {
		uint32_t namesz, descsz, type;
		memcpy(&namesz, buf + off, 4);
		memcpy(&descsz, buf + off + 4, 4);
		memcpy(&type, buf + off + 8, 4);
		uint32_t next = off + 12 + ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
		if (namesz > n || descsz > n || next > n || next <= off)
			return 0;
		if (namesz == 6 && !memcmp(buf + off + 12, "amphi", 6) && type == 1)
			return 1;
		off = next;
	}
	return 0;
}

/* The same walk in 64-bit arithmetic, where nothing can wrap. */
static int ref_find(const uint8_t *p, uint32_t len, const char *name, uint32_t type)
{
	uint64_t want = strlen(name) + 1;
	for (uint64_t off = 0; off + 12 <= len;) {
		uint32_t h[3];
		memcpy(h, p + off, 12);
		uint64_t next = off + 12 + (((uint64_t)h[0] + 3) & ~3ull) + (((uint64_t)h[1] + 3) & ~3ull);
		if (next > len)
			return 0;
		if (h[0] == want && h[2] == type && !memcmp(p + off + 12, name, want))
			return 1;
		off = next;
	}
	return 0;
}

static uint32_t rng = 0x2545F491u;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static uint32_t rnd_size(void)
{
	static const uint32_t odd[] = { 0xFFFFFFFFu, 0xFFFFFFFDu, 0xFFFFFFFCu, 0xFFFFFFF0u,
					0x80000000u, 256, 255, 64 };
	return (rnd() % 8) ? rnd() % 12 : odd[rnd() % 8];
}

/* Random runs of mostly plausible notes, cut and corrupted at random. */
static void test_random_against_reference(void **state)
{
	(void)state;
	static const struct { const char *s; uint32_t sz; } names[] = {
		{ "amphi", 6 }, { "amphiX", 7 }, { "amph", 5 }, { "GNU", 4 }, { "amphiX", 6 },
	};
	unsigned found = 0, total = 0;
	for (int iter = 0; iter < 20000; iter++) {
		struct notes n = { .len = 0 };
		memset(n.b, 0, sizeof(n.b));
		int count = (int)(rnd() % 5);
		for (int k = 0; k < count && n.len < 200; k++) {
			uint32_t which = rnd() % 5;
			uint32_t namesz = names[which].sz, descsz = rnd() % 9;
			uint32_t type = rnd() % 3;
			if (rnd() % 6 == 0)
				namesz = rnd_size();
			if (rnd() % 6 == 0)
				descsz = rnd_size();
			put32(&n, namesz);
			put32(&n, descsz);
			put32(&n, type);
			put_padded(&n, names[which].s, names[which].sz);
			for (uint32_t d = 0; d < (descsz < 16 ? descsz : 0); d++)
				n.b[n.len++] = (uint8_t)rnd();
			while (n.len & 3)
				n.b[n.len++] = 0;
		}
		if (rnd() % 4 == 0 && n.len)
			n.b[rnd() % n.len] ^= (uint8_t)(1u << (rnd() % 8));
		uint32_t len = n.len;
		if (rnd() % 3 == 0)
			len = rnd() % (n.len + 4);
		if (len > 256)
			len = 256;
		int r = find_at_end(n.b, len, "amphi", 1);
		assert_int_equal(r, ref_find(n.b, len, "amphi", 1));
		assert_int_equal(r, old_has_kmode_note(n.b, len));
		assert_int_equal(find_at_end(n.b, len, "GNU", 2), ref_find(n.b, len, "GNU", 2));
		found += (unsigned)r;
		total++;
	}
	/* Both answers were exercised. */
	assert_true(found > total / 20);
	assert_true(found < total - total / 20);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_kmode_note),
		cmocka_unit_test(test_empty_and_truncated),
		cmocka_unit_test(test_zero_length_notes),
		cmocka_unit_test(test_len_not_multiple_of_4),
		cmocka_unit_test(test_match_is_second),
		cmocka_unit_test(test_right_name_wrong_type),
		cmocka_unit_test(test_near_names),
		cmocka_unit_test(test_hostile_sizes),
		cmocka_unit_test(test_random_against_reference),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
