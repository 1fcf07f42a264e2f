# Networking: lwIP (Debian's `lwip` source, fetched and verified by
# tools/get-lwip into $(BUILD)/lwip/src; never copied into the repository)
# built with amphi's port (net/port/: lwipopts.h, arch/cc.h, sys_arch.h),
# the OS layer (net/sys_arch.c) and the Linux socket system calls.
LWIP_DIR   := $(BUILD)/lwip
LWIP_SRC   := $(LWIP_DIR)/src
LWIP_STAMP := $(LWIP_DIR)/version
LWIP_C := core/init.c core/def.c core/inet_chksum.c core/ip.c core/mem.c core/memp.c \
          core/netif.c core/pbuf.c core/raw.c core/stats.c core/sys.c core/tcp.c core/tcp_in.c \
          core/tcp_out.c core/timeouts.c core/udp.c core/dns.c \
          core/ipv4/acd.c core/ipv4/autoip.c core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c \
          core/ipv4/ip4_frag.c core/ipv4/ip4.c core/ipv4/ip4_addr.c \
          api/api_lib.c api/api_msg.c api/err.c api/if_api.c api/netbuf.c api/netifapi.c \
          api/sockets.c api/tcpip.c netif/ethernet.c
LWIP_OBJS := $(addprefix lwip/obj/,$(LWIP_C:.c=.o))
NET_OBJS  := net/sys_arch.o net/net.o net/ipconfig.o net/ipconfig_parse.o net/frame_check.o net/tcp_timewait.o net/resolv_conf.o net/route.o net/route_table.o net/inet_lwip.o net/loopif.o net/netdev.o net/ifconf.o net/socket.o net/unix.o
obj-y += $(LWIP_OBJS) $(NET_OBJS)

LWIP_INC := -Inet/port -Inet/compat -I$(LWIP_SRC)/include
# lwIP's own files: amphi's flags without -Werror and amphi's prototype
# rules (its warnings are upstream's business, not ours).
LWIP_CFLAGS = $(filter-out -Werror -Wstrict-prototypes -Wmissing-prototypes -Wextra,$(CFLAGS)) \
              -Wno-address $(LWIP_INC)
$(addprefix $(BUILD)/,$(NET_OBJS)): CFLAGS += $(LWIP_INC)
$(addprefix $(BUILD)/,$(NET_OBJS)): | $(LWIP_STAMP)

$(LWIP_STAMP): tools/get-lwip tools/lwip-pins tools/debsrc-fetch | $(DEPS_STAMP)
	rm -rf $(LWIP_DIR)/obj
	tools/get-lwip $(LWIP_DIR)
$(addprefix $(LWIP_SRC)/,$(LWIP_C)): | $(LWIP_STAMP) ;
$(BUILD)/lwip/obj/%.o: $(LWIP_SRC)/%.c net/port/lwipopts.h net/port/arch/cc.h include/generated/autoconf.h | $(LWIP_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      lwip/$*.c"
	$(Q)$(CC) $(LWIP_CFLAGS) -c $< -o $@

# The network tiers of make check, on virtio-net and e1000 (~2 min): QEMU's
# user network with restrict=on and peers on 127.0.0.1 (tests/net/run), and
# a frame-level peer on a socket netdev for UDP and hostile frames
# (tests/net/wire).  Both run, whatever the first one's result.
CHECK_PARTS += check-net
.PHONY: check-net
check-net: all $(BUILD)/initrd.cpio
	tests/net/run; r=$$?; tests/net/wire || r=1; exit $$r

# TCP throughput and latency, amphi against Debian's Linux (tests/bench/net;
# numbers only).
.PHONY: bench-net
bench-net: all $(BUILD)/initrd.cpio
	tests/bench/net
