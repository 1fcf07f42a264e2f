/* Kernel command line parsing (pure; host-tested). */
#include <amphi/cmdline.h>
#include <amphi/string.h>

const char *cmdline_get(const char *s, const char *key, char *out, size_t outlen)
{
	size_t klen = strlen(key);
	const char *found = 0;
	size_t flen = 0;

	while (s && *s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		const char *w = s;
		int quoted = 0;
		while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			if (*s == '"')
				quoted = !quoted;
			s++;
		}
		size_t wlen = s - w;
		if (wlen >= klen && !strncmp(w, key, klen) && (wlen == klen || w[klen] == '=')) {
			/* The last occurrence wins, as on Linux. */
			found = wlen == klen ? w + klen : w + klen + 1;
			flen = wlen == klen ? 0 : wlen - klen - 1;
		}
	}
	if (!found)
		return 0;
	if (flen >= 2 && found[0] == '"' && found[flen - 1] == '"') {
		found++;
		flen -= 2;
	}
	if (outlen) {
		size_t n = flen < outlen - 1 ? flen : outlen - 1;
		memcpy(out, found, n);
		out[n] = 0;
	}
	return out;
}

bool cmdline_has(const char *s, const char *key)
{
	char dummy[1];
	return cmdline_get(s, key, dummy, sizeof(dummy)) != 0;
}
