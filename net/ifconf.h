/* Interface ioctls on lwIP's netifs (net/ifconf.c); Linux's struct ifreq. */
#ifndef NET_IFCONF_H
#define NET_IFCONF_H
#include <stdint.h>

#define IFNAMSIZ_L 16
struct linux_ifreq {
	char name[IFNAMSIZ_L];
	uint8_t u[16];                /* sockaddr / flags / int, by request */
};

#define L_SIOCGIFNAME 0x8910
#define L_SIOCGIFCONF 0x8912
#define L_SIOCGIFFLAGS 0x8913
#define L_SIOCSIFFLAGS 0x8914
#define L_SIOCGIFADDR 0x8915
#define L_SIOCSIFADDR 0x8916
#define L_SIOCGIFBRDADDR 0x8919
#define L_SIOCGIFNETMASK 0x891b
#define L_SIOCSIFNETMASK 0x891c
#define L_SIOCGIFMTU 0x8921
#define L_SIOCGIFHWADDR 0x8927
#define L_SIOCGIFINDEX 0x8933

/* Linux's name for a netif (lo, ethN), and the netif of a name (NULL if
 * none); tcpip thread only. */
struct netif;
int ifconf_is_lo(const struct netif *n);
void ifconf_name(struct netif *n, char out[IFNAMSIZ_L]);
struct netif *ifconf_find(const char *name);
/* Up to max entries (name + address) into out (NULL: count only); the number of interfaces. */
int ifconf_list(struct linux_ifreq *out, int max);
/* One request on req (in and out); 0 or -errno. */
int ifconf_request(uint32_t cmd, struct linux_ifreq *req);
#endif
