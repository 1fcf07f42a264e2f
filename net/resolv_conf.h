/* /etc/resolv.conf from DHCP or amphi.dns= (net/resolv_conf.c). */
#ifndef NET_RESOLV_CONF_H
#define NET_RESOLV_CONF_H
/* amphi.dns=ADDR[,ADDR]: sets lwIP's name servers (tcpip thread); the file
 * itself is net_write_resolv_conf's (amphi/net.h). */
void resolv_conf_static(void);
#endif
