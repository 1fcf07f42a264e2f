# Fills a small ext2 (/dev/vdb: 8 MiB, 256 inodes) until ENOSPC, blocks
# first, then inodes; the files written before stay intact, the shell goes on.
mkdir -p /mnt; mount -t ext2 /dev/vdb /mnt || exit 1
cd /mnt
i=0; while [ $i -lt 5 ]; do head -c $((i * 7000 + 100)) /bin/busybox > early$i; i=$((i + 1)); done
md5sum early* > /early.md5; sync
i=0; while cat /bin/busybox > fill$i; do i=$((i + 1)); done
echo blocks-full after $i files
md5sum -c /early.md5 && echo early-ok
cd /; umount /mnt; echo umount $?
mount -t ext2 /dev/vdb /mnt && cd /mnt && md5sum -c /early.md5 && echo early-ok-after-remount
rm fill*; echo again > after
# "true", not ":": a failed redirection of a special builtin ends the shell
i=0; while true > n$i; do i=$((i + 1)); done
echo inodes-full after $i files
rm n*; cd /; umount /mnt; echo umount $?
