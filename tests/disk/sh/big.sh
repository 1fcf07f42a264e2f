# big.sh DIR SRC: builds a tree in DIR from the bytes of SRC (2000 small
# files in 10 directories, a 66 MiB file cut to 64 MiB), then deletes,
# renames and truncates.  Runs on amphi and on the host: the host's copy
# is what amphi's disk must hold.
set -e
cd "$1"; SRC=$2
d=0
while [ $d -lt 10 ]; do
	mkdir d$d; f=0
	while [ $f -lt 200 ]; do echo "file $d/$f $((d * f))" > d$d/f$f; f=$((f + 1)); done
	head -c $((d * 5000 + 3000)) "$SRC" > d$d/some   # a few blocks
	d=$((d + 1))
done
i=0; while [ $i -lt 66 ]; do echo "chunk $i"; head -c 1048576 "$SRC"; i=$((i + 1)); done > big
rm d0/f1 d0/f2 d0/f3; rm -r d9
mv d1/f0 d1/f1          # over an existing file
mv d2/f5 d3/moved       # into another directory
mv d3/f7 d2/f8          # into another directory, over an existing file
mv d4 d5/sub            # a directory into another
mv d6/some d6/renamed
truncate -s 67108864 big        # 66 MiB cut to 64 MiB: frees triple-indirect blocks (1 KiB blocks)
truncate -s 10 d5/f10
truncate -s 300000 d7/some      # grows: a hole
echo patched | dd of=big bs=1 seek=40000000 conv=notrunc 2>/dev/null
