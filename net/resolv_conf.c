/*
 * /etc/resolv.conf for the libc resolver (lwIP itself resolves no names).
 * The name servers are the DHCP lease's (option 6, kept by lwIP's DNS
 * table) or amphi.dns=ADDR[,ADDR] for static addresses.  The file is
 * written when "/" is final (kernel/main.c: before PID 1, whichever of the
 * initrd or a disk it is) and again whenever a lease arrives.  A resolv.conf
 * that came with the initrd or the root disk is the user's and is left
 * alone: only a file that amphi wrote (its first line says so) or none is
 * (re)written.
 */
#include "lwip/dns.h"
#include "lwip/ip4_addr.h"
#include "resolv_conf.h"
#include <amphi/net.h>
#include <amphi/boot.h>
#include <amphi/cmdline.h>
#include <amphi/printk.h>
#include <amphi/string.h>
#include <amphi/vfs.h>
#include <stdio.h>

#define RESOLV_CONF "/etc/resolv.conf"
#define MARK "# written by amphi"

/* 1 when RESOLV_CONF is missing or is amphi's own. */
static int ours_or_missing(void)
{
	int err;
	struct file *f = vfs_open("/", RESOLV_CONF, O_RDONLY, 0, &err);
	if (!f)
		return 1;
	char head[sizeof(MARK) - 1];
	ssize32_t n = file_read(f, head, sizeof(head));
	file_put(f);
	return n == (ssize32_t)sizeof(head) && !memcmp(head, MARK, sizeof(head));
}

void net_write_resolv_conf(const char *why)
{
	char text[160];
	int len = snprintf(text, sizeof(text), "%s (%s)\n", MARK, why);
	int servers = 0;
	for (u8_t i = 0; i < DNS_MAX_SERVERS; i++) {
		const ip_addr_t *a = dns_getserver(i);
		if (ip_addr_isany(a))
			continue;
		char ab[16];
		ip4addr_ntoa_r(a, ab, sizeof(ab));
		len += snprintf(text + len, sizeof(text) - len, "nameserver %s\n", ab);
		servers++;
	}
	if (!servers || !ours_or_missing())
		return;
	int err;
	struct file *f = vfs_open("/", RESOLV_CONF, O_WRONLY | O_CREAT | O_TRUNC, 0644, &err);
	if (!f) {
		printk("net: cannot write %s (error %d)\n", RESOLV_CONF, err);
		return;
	}
	ssize32_t n = file_write(f, text, (size_t)len);
	file_put(f);
	if (n != len)
		printk("net: %s: short write (%d of %d bytes)\n", RESOLV_CONF, (int)n, len);
	else
		printk("net: %s: %d name server%s (%s)\n", RESOLV_CONF, servers, servers == 1 ? "" : "s", why);
}

void resolv_conf_static(void)
{
	char val[64];
	const char *arg = cmdline_get(boot_info.cmdline, "amphi.dns", val, sizeof(val));
	if (!arg)
		return;
	u8_t i = 0;
	for (char *p = val; *p && i < DNS_MAX_SERVERS;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		ip4_addr_t a;
		if (ip4addr_aton(p, &a)) {
			ip_addr_t s;
			ip_addr_copy_from_ip4(s, a);
			dns_setserver(i++, &s);
		} else {
			printk("net: amphi.dns: '%s' is not an IPv4 address: ignored\n", p);
		}
		if (!comma)
			break;
		p = comma + 1;
	}
}
