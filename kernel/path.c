/*
 * path_normalize (pure; host-tested): joins cwd and path, drops empty
 * components and ".", resolves ".." lexically (".." of "/" is "/").  The
 * result is absolute, without a trailing slash except for "/" itself.
 */
#include <amphi/vfs.h>
#include <amphi/errno.h>
#include <amphi/string.h>

static int append(const char *src, char *out, size_t outlen, size_t *len)
{
	const char *p = src;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			return 0;
		const char *c = p;
		while (*p && *p != '/')
			p++;
		size_t clen = (size_t)(p - c);
		if (clen > VFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (clen == 1 && c[0] == '.')
			continue;
		if (clen == 2 && c[0] == '.' && c[1] == '.') {
			while (*len > 0 && out[*len - 1] != '/')
				(*len)--;
			if (*len > 0)
				(*len)--;        /* the slash before the dropped name */
			out[*len] = '\0';
			continue;
		}
		if (*len + 1 + clen + 1 > outlen)
			return -ENAMETOOLONG;
		out[(*len)++] = '/';
		memcpy(out + *len, c, clen);
		*len += clen;
		out[*len] = '\0';
	}
}

int path_normalize(const char *cwd, const char *path, char *out, size_t outlen)
{
	if (!path || !out || outlen < 2)
		return -EINVAL;
	if (!*path)
		return -ENOENT;
	size_t len = 0;
	out[0] = '\0';
	int r = 0;
	if (path[0] != '/' && cwd)
		r = append(cwd, out, outlen, &len);
	if (!r)
		r = append(path, out, outlen, &len);
	if (r) {
		out[0] = '\0';
		return r;
	}
	if (len == 0) {
		out[0] = '/';
		out[1] = '\0';
	}
	return 0;
}
