# The big-tree cell on amphi: big.sh on /dev/vdb, a manifest of md5sums,
# sync, umount; the host compares the disk with its own run of big.sh.
mkdir -p /mnt; mount -t ext2 /dev/vdb /mnt || exit 1
sh /t/big.sh /mnt /bin/busybox || { echo big.sh failed; exit 1; }
cd /mnt && find . -type f | sort | xargs md5sum > /MANIFEST && cp /MANIFEST MANIFEST && echo manifest $(wc -l < MANIFEST)
sync; cd /; umount /mnt; echo umount $?
