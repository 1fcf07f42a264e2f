/* ext2 directory-entry arithmetic (pure): entries checked before use,
 * room for a new entry found by splitting an entry's slack. */
#include "ext2_pure.h"

const char *ext2_dirent_check(const uint8_t *blk, uint32_t bsize, uint32_t off, uint32_t inodes)
{
	if (off + EXT2_DIRENT_HDR > bsize || (off & 3))
		return "entry header past the block";
	const struct ext2_dirent *d = (const struct ext2_dirent *)(blk + off);
	if (d->rec_len < EXT2_DIRENT_HDR)
		return "rec_len smaller than an entry";
	if (d->rec_len & 3)
		return "rec_len not a multiple of 4";
	if ((uint32_t)off + d->rec_len > bsize)
		return "rec_len past the block";
	if (d->inode && ext2_rec_len(d->name_len) > d->rec_len)
		return "name_len larger than the entry";
	if (d->inode > inodes)
		return "inode number out of range";
	if (d->inode && d->name_len == 0)
		return "empty name";
	return 0;
}

int ext2_dirent_find_space(const uint8_t *blk, uint32_t bsize, uint32_t need)
{
	for (uint32_t off = 0; off + EXT2_DIRENT_HDR <= bsize;) {
		const struct ext2_dirent *d = (const struct ext2_dirent *)(blk + off);
		if (d->rec_len < EXT2_DIRENT_HDR)
			return -1;
		uint32_t used = d->inode ? ext2_rec_len(d->name_len) : 0;
		if (d->rec_len >= used + need)
			return (int)off;
		off += d->rec_len;
	}
	return -1;
}

uint8_t ext2_ftype(uint32_t mode)
{
	switch (mode & 0170000) {
	case 0100000: return EXT2_FT_REG;
	case 0040000: return EXT2_FT_DIR;
	case 0020000: return EXT2_FT_CHR;
	case 0060000: return EXT2_FT_BLK;
	case 0010000: return EXT2_FT_FIFO;
	case 0140000: return EXT2_FT_SOCK;
	case 0120000: return EXT2_FT_LNK;
	}
	return EXT2_FT_UNKNOWN;
}
