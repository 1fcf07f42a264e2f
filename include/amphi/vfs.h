/*
 * Files (kernel/vfs.c, fs/): an in-memory file system unpacked from a cpio
 * (newc) initrd, device files, pipes, and per-process file-descriptor
 * tables.  Paths are absolute or relative to a process's cwd; errors are
 * negative errno values (amphi/errno.h).
 *
 * Ownership: fs/ (cpio, ramfs, devices, pipes) and kernel/vfs.c implement
 * this header; the process core (kernel/proc*.c) owns struct process and
 * calls only what is declared here.
 */
#ifndef AMPHI_VFS_H
#define AMPHI_VFS_H
#include <stdint.h>
#include <stddef.h>
#include <amphi/frame.h>

typedef int32_t ssize32_t;

/* Linux open flags and modes (i386 values). */
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_ACCMODE 3
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define O_CLOEXEC 02000000
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFREG 0100000
#define S_IFLNK 0120000
#define S_IFIFO 0010000
#define S_IFBLK 0060000
#define S_IFSOCK 0140000

/* *at() conventions. */
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_EACCESS 0x200
#define AT_EMPTY_PATH 0x1000
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* Longest path the VFS handles (the process core keeps its cwd shorter). */
#define VFS_PATH_MAX 1024
#define VFS_NAME_MAX 255
/* read/write lengths are clamped to this, as Linux does (MAX_RW_COUNT). */
#define VFS_RW_MAX 0x7ffff000u

/* getdents64 records (8-byte aligned d_reclen). */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
} __attribute__((packed));
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

/* struct stat64 as the i386 Linux ABI lays it out (96 bytes). */
struct kstat64 {
	uint64_t st_dev;
	uint8_t __pad0[4];
	uint32_t __st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint8_t __pad3[4];
	int64_t st_size;
	uint32_t st_blksize;
	uint64_t st_blocks;
	uint32_t st_atime, st_atime_nsec;
	uint32_t st_mtime, st_mtime_nsec;
	uint32_t st_ctime, st_ctime_nsec;
	uint64_t st_ino;
} __attribute__((packed));

struct file;                 /* an open file description (shared by dup/fork) */
struct fdtable;              /* a process's descriptors */

/* Unpacks a cpio newc archive from memory into the root file system;
 * creates /dev/console, /dev/null, /dev/zero.  0 or -errno.  May be called
 * again: the root is created once, later archives unpack over it.  A
 * malformed archive gives -EINVAL (and a message); what was unpacked before
 * the bad header stays. */
int vfs_init(const void *initrd, size_t size);
/* Same, with boot_info.modules[0] (if any) as the archive; 0 or -errno.
 * Idempotent: a second call does nothing. */
int vfs_init_from_boot(void);

/* Open file descriptions, reference-counted. */
struct file *vfs_open(const char *cwd, const char *path, int flags, uint32_t mode, int *err);
struct file *file_get(struct file *f);
void file_put(struct file *f);
ssize32_t file_read(struct file *f, void *kbuf, size_t n);
ssize32_t file_write(struct file *f, const void *kbuf, size_t n);
/* read (wr 0) or write of n bytes at user address ubuf straight between
 * the device and the program's pages (block nodes: no kernel copy); bytes,
 * -errno, or -EOPNOTSUPP where the file or the alignment does not allow it
 * (then the caller copies through file_read/file_write). */
ssize32_t file_direct(struct file *f, uint32_t ubuf, size_t n, int wr);
int64_t file_lseek(struct file *f, int64_t off, int whence);
int file_stat(struct file *f, struct kstat64 *st);
/* Fills buf with struct linux_dirent64 records; bytes written, 0 at end. */
ssize32_t file_getdents64(struct file *f, void *kbuf, size_t n);
int file_ioctl(struct file *f, uint32_t cmd, void *karg);   /* TCGETS etc. on the console */
int vfs_stat(const char *cwd, const char *path, struct kstat64 *st, int follow);
/* utimensat: ts[0] atime, ts[1] mtime (ts NULL: both now); nsec UTIME_NOW
 * or UTIME_OMIT as on Linux; ctime becomes now.  path NULL: the open file f. */
#define UTIME_NOW ((1u << 30) - 1)
#define UTIME_OMIT ((1u << 30) - 2)
struct vfs_timespec {
	int64_t sec;
	uint32_t nsec;
};
int vfs_utimens(const char *cwd, const char *path, struct file *f, int follow,
		const struct vfs_timespec *ts);
int vfs_pipe(struct file *ends[2]);
/* Whole-file convenience for the ELF loader: reads up to n bytes at off. */
ssize32_t vfs_pread(struct file *f, void *kbuf, size_t n, uint64_t off);
/* For exec: the frames of pages [first, first+n) of a ramfs file, each
 * with a reference for vm_map_frames; PFN_NONE for a hole or a page past
 * the end.  -ENOSYS (all PFN_NONE) for a file elsewhere (ext2, devices). */
int vfs_share_frames(struct file *f, uint32_t first, unsigned n, pfn_t *out);

/* Status flags of an open file (access mode | O_APPEND | O_NONBLOCK ...). */
int file_get_flags(struct file *f);
/* F_SETFL: changes only O_APPEND and O_NONBLOCK. */
void file_set_flags(struct file *f, int flags);
/* The absolute path of an open directory (for *at() and fchdir):
 * length, -ENOTDIR, -ENOENT (removed) or -ENAMETOOLONG. */
int file_dir_path(struct file *f, char *buf, size_t n);
/* poll(2) readiness without blocking: the subset of events (POLLIN,
 * POLLOUT) that holds now, plus POLLHUP / POLLERR. */
#define POLLIN 0x001
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
int file_poll(struct file *f, int events);
/* The readiness wait (kernel/sys_poll.c): whoever may have made a file
 * ready calls file_poll_wake() (any context).  A waiter takes
 * file_poll_seq(), checks its files, and if none is ready calls
 * file_poll_sleep(seq, deadline) (deadline in now_ns() time, 0: none),
 * which returns 0 once something changed since seq, -EINTR on a signal,
 * -ETIMEDOUT at the deadline. */
uint32_t file_poll_seq(void);
void file_poll_wake(void);
int file_poll_sleep(uint32_t seq, uint64_t deadline);
/* S_IFREG, S_IFDIR, S_IFCHR or S_IFIFO (pipes). */
uint32_t file_type(struct file *f);
/* 1 for the console (a terminal), 0 otherwise. */
int file_isatty(struct file *f);
/* Path operations relative to cwd (absolute, normalized; NULL means "/"). */
int vfs_mkdir(const char *cwd, const char *path, uint32_t mode);
int vfs_unlink(const char *cwd, const char *path, int rmdir);
int vfs_symlink(const char *cwd, const char *target, const char *path);
/* rename(2) on a mounted file system (-EXDEV on the ramfs or across mounts). */
int vfs_rename(const char *cwd, const char *from, const char *to);
int vfs_link(const char *cwd, const char *oldpath, const char *newpath, int follow);
/* Symlink target into buf (not NUL-terminated): length, -EINVAL if not a link. */
int vfs_readlink(const char *cwd, const char *path, char *buf, size_t n);
/* mode: F_OK 0, X_OK 1, W_OK 2, R_OK 4 (everyone is root: only X is checked). */
int vfs_access(const char *cwd, const char *path, int mode, int follow);
/* Resolves a directory for chdir: its canonical absolute path into out. */
int vfs_resolve_dir(const char *cwd, const char *path, char *out, size_t outlen);
int vfs_truncate(struct file *f, uint64_t size);

/* Descriptor tables. */
#define FD_MAX 64
struct fdtable *fdtable_new(void);
struct fdtable *fdtable_clone(const struct fdtable *t);  /* fork: shares the files */
void fdtable_free(struct fdtable *t);
int fd_install(struct fdtable *t, struct file *f, int min_fd, int cloexec);  /* fd or -EMFILE */
struct file *fd_get(struct fdtable *t, int fd);          /* borrowed, NULL if bad */
int fd_close(struct fdtable *t, int fd);
int fd_dup2(struct fdtable *t, int oldfd, int newfd, int cloexec);
void fdtable_close_on_exec(struct fdtable *t);
int fd_get_cloexec(struct fdtable *t, int fd);
void fd_set_cloexec(struct fdtable *t, int fd, int on);

/* Creates a device node (S_IFCHR or S_IFBLK in mode) unless path exists. */
int vfs_mknod(const char *path, uint32_t mode, uint32_t rdev);

/* Path helpers (pure): joins cwd and path and resolves "." and "..". */
int path_normalize(const char *cwd, const char *path, char *out, size_t outlen);

/* ---- file systems as a whole (fs/statfs.c, kernel/vfs.c) ---- */
struct kstatfs64 {                      /* i386 struct statfs64: 84 bytes */
	uint32_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	uint32_t f_namelen, f_frsize, f_flags;
	uint32_t f_spare[4];
} __attribute__((packed));
#define RAMFS_MAGIC 0x858458f6u
#define PROC_SUPER_MAGIC 0x9fa0u
#define PIPEFS_MAGIC 0x50495045u
/* statfs of the file system holding path / the open file f; 0 or -errno. */
int vfs_statfs(const char *cwd, const char *path, struct kstatfs64 *sf);
int file_statfs(struct file *f, struct kstatfs64 *sf);
/* The mount table as /proc/mounts shows it (fstab format, one line per
 * mount): the length it needs, as snprintf; buf is NUL-terminated when n > 0. */
int vfs_mounts_show(char *buf, size_t n);
#endif
