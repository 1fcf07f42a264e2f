# hostile.sh N: images 0..N-1 of /dev/vdb (1 MiB slots, tests/disk/ext2-hostile
# --store) copied one at a time onto the scratch disk /dev/vdc, mounted, read
# (ls -lR, the files' first 300 KB), written (a file and a directory made and removed),
# unmounted.  "status I R": R is "mount" when the mount was refused, else
# 0 when every step worked, else the first step that failed.
n=$1; i=0
mkdir -p /mnt
while [ $i -lt $n ]; do
	echo "img $i"
	dd if=/dev/vdb of=/dev/vdc bs=64k skip=$((i * 16)) count=16 2>/dev/null || echo "dd failed $i"
	if mount -t ext2 /dev/vdc /mnt 2>/dev/null; then
		r=0
		ls -lR /mnt >/dev/null 2>&1 || r=ls
		# head, not cat: a flipped size may make a file of gigabytes
		[ $r = 0 ] && { head -c 300000 /mnt/a /mnt/c /mnt/d/b /mnt/l >/dev/null 2>&1 || r=read; }
		[ $r = 0 ] && { { echo x > /mnt/new && mkdir /mnt/nd && echo y > /mnt/nd/z && rm -r /mnt/nd /mnt/new; } 2>/dev/null || r=write; }
		umount /mnt || echo "umount failed $i"
	else
		r=mount
	fi
	echo "status $i $r"
	i=$((i + 1))
done
echo alive
