/*
 * elf_note_find (pure; host-tested): the ELF note walk behind the
 * kernel-mode trust decision (kmode/trust.c, kmode_note_in).
 */
#include <amphi/elf_note.h>
#include <amphi/string.h>

#define NOTE_HDR 12u

int elf_note_find(const void *buf, uint32_t len, const char *name, uint32_t type)
{
	const uint8_t *p = buf;
	uint32_t want = (uint32_t)strlen(name) + 1;
	/* off <= len throughout, so len - off never wraps. */
	for (uint32_t off = 0; len - off >= NOTE_HDR;) {
		uint32_t namesz, descsz, ntype;
		memcpy(&namesz, p + off, 4);
		memcpy(&descsz, p + off + 4, 4);
		memcpy(&ntype, p + off + 8, 4);
		uint32_t room = len - off - NOTE_HDR;
		/* Bound the raw sizes first: padding a size near 2^32 would wrap. */
		if (namesz > room || descsz > room)
			return 0;
		uint32_t npad = (namesz + 3) & ~3u, dpad = (descsz + 3) & ~3u;
		if (npad > room || dpad > room - npad)
			return 0;
		if (namesz == want && ntype == type && !memcmp(p + off + NOTE_HDR, name, want))
			return 1;
		off += NOTE_HDR + npad + dpad;
	}
	return 0;
}
