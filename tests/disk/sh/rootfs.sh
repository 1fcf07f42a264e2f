# PID 1 from the disk root (amphi.root=): what is mounted, a file the host
# put there, a file written and a copy moved, then sync.  The host checks
# the disk afterwards (tests/disk/ext2_cells.py, rootfs cells).
head -1 /proc/mounts
md5sum /t/known
echo "written on amphi" > /w
mkdir /nd && cp /bin/busybox /nd/bb && mv /nd/bb /nd/bb2
ls /dev/console >/dev/null && echo dev-ok
sync; echo sync $?
md5sum /nd/bb2
