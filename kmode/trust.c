/*
 * Which programs run in the kernel's ring (kmode/README.md, "Which
 * programs are trusted"): one whose normalized exec path starts with
 * /trusted/, or an ELF file carrying the note { "amphi", type
 * AMPHI_NOTE_KMODE }.  Decided at every execve (kernel/exec.c asks).
 */
#include <amphi/kmode.h>
#include <amphi/proc.h>
#include <amphi/vfs.h>
#include <amphi/string.h>
#include <amphi/printk.h>
#include <amphi/elf_note.h>

/* The name used counts, after path_normalize: /trusted/../bin/x is not
 * trusted, nor is a symlink elsewhere that points into /trusted/. */
int kmode_trusted_path(const char *cwd, const char *path)
{
	char abs[PATH_MAX_AMPHI];
	if (path_normalize(cwd, path, abs, sizeof(abs)) != 0)
		return 0;
	return !strncmp(abs, "/trusted/", 9);
}

/* Reads at most the segment's first 256 bytes (a stack buffer): a note
 * beyond that limit, or cut by it, does not count. */
int kmode_note_in(struct file *f, uint32_t offset, uint32_t filesz)
{
	uint8_t buf[256];
	uint32_t n = filesz < sizeof(buf) ? filesz : sizeof(buf);
	if (vfs_pread(f, buf, n, offset) != (ssize32_t)n)
		return 0;
	return elf_note_find(buf, n, AMPHI_NOTE_NAME, AMPHI_NOTE_KMODE);
}

int kmode_wanted(int trusted, int noted)
{
	return (trusted || noted) && kmode_enabled;
}

void kmode_exec_log(const struct process *p, int trusted, int noted, int kmode)
{
	if (trusted || noted)
		printk(KERN_NOTICE "proc: pid %d (%s) ring %d (%s%s)\n", p->pid, p->name, kmode ? kmode_ring : 3,
		       trusted ? "trusted: /trusted/" : "trusted: amphi note", kmode ? "" : ", kmode=off");
}
