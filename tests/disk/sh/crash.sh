# Writes files, syncs, says SYNC-DONE, then goes on writing until the host
# kills QEMU: what was synced must survive, e2fsck must repair the rest.
mkdir -p /mnt; mount -t ext2 /dev/vdb /mnt || exit 1
cd /mnt
i=0; while [ $i -lt 6 ]; do head -c $((i * 300000 + 1000)) /bin/busybox > s$i; i=$((i + 1)); done
mkdir sd; echo synced > sd/x
sync; echo SYNC-DONE
i=0; while :; do head -c 200000 /bin/busybox > w$i; mkdir -p t$((i % 7))/u; rm -f w$((i - 3)); echo $i >> log; i=$((i + 1)); done
