/* lwIP's OS types on amphi's kernel threads and wait queues (net/sys_arch.c). */
#ifndef AMPHI_LWIP_ARCH_SYS_ARCH_H
#define AMPHI_LWIP_ARCH_SYS_ARCH_H
#include <stdint.h>

struct amphi_sem;
struct amphi_mbox;
struct mutex;
struct thread;
typedef struct amphi_sem *sys_sem_t;
typedef struct mutex *sys_mutex_t;
typedef struct amphi_mbox *sys_mbox_t;
typedef struct thread *sys_thread_t;
typedef uint32_t sys_prot_t;

#define sys_sem_valid(s) ((s) != 0 && *(s) != 0)
#define sys_sem_set_invalid(s) do { *(s) = 0; } while (0)
#define sys_mutex_valid(m) ((m) != 0 && *(m) != 0)
#define sys_mutex_set_invalid(m) do { *(m) = 0; } while (0)
#define sys_mbox_valid(b) ((b) != 0 && *(b) != 0)
#define sys_mbox_set_invalid(b) do { *(b) = 0; } while (0)
#endif
