/* Linux i386 ioctl numbers amphi answers (terminal and file descriptor). */
#ifndef AMPHI_IOCTL_H
#define AMPHI_IOCTL_H
#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define FIONBIO    0x5421
#define FIONCLEX   0x5450
#define FIOCLEX    0x5451
/* Block devices (drivers/block/blk_file.c). */
#define BLKROGET   0x125E
#define BLKGETSIZE 0x1260
#define BLKFLSBUF  0x1261
#define BLKSSZGET  0x1268
#define BLKBSZGET  0x80041270
#define BLKGETSIZE64 0x80041272
#endif
