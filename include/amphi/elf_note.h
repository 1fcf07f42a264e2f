/*
 * ELF notes (lib/elf_note.c; pure, host-tested).  A PT_NOTE segment is a
 * run of notes, each a header { namesz, descsz, type } of 32-bit words in
 * the file's byte order, then the name (namesz bytes, its NUL included)
 * padded to 4, then the descriptor (descsz bytes) padded to 4.
 */
#ifndef AMPHI_ELF_NOTE_H
#define AMPHI_ELF_NOTE_H
#include <stdint.h>

/* The note that makes a program a kernel-mode application (kmode/README,
 * apps/stack_overflow.c): name "amphi", type 1, no descriptor. */
#define AMPHI_NOTE_NAME "amphi"
#define AMPHI_NOTE_KMODE 1

/* 1 if buf[0..len) holds a note of this type whose name is exactly name
 * (namesz == strlen(name) + 1, NUL included), else 0.  The walk stops, with
 * 0, at the first note whose header, name or descriptor (padding included)
 * does not fit in len: a hostile note cannot make it read outside buf. */
int elf_note_find(const void *buf, uint32_t len, const char *name, uint32_t type);
#endif
