/*
 * /bin/echo-args: prints its argument vector, one line per argument:
 *   echo-args: argc=N
 *   echo-args: argv[i]="..."
 * Options (anywhere in argv, still printed):
 *   --exit=N   exit with status N (default 0)
 *   --env      also print the environment (envp[i]="...")
 *   --auxv     also print the auxiliary vector entries the loader must supply
 *   --quiet    print nothing (only the exit status matters)
 *   --wait     first read one byte from stdin (proc-test changes the
 *              program's file meanwhile: exec-file-changed)
 * proc-test execs it to check argv/envp passing and exit statuses; the
 * static-PIE build (/bin/echo-args-pie) exercises the loader's ET_DYN path.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	int i, code = 0, env = 0, aux = 0, quiet = 0;
	char b;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--exit=", 7) == 0)
			code = atoi(argv[i] + 7);
		else if (strcmp(argv[i], "--env") == 0)
			env = 1;
		else if (strcmp(argv[i], "--auxv") == 0)
			aux = 1;
		else if (strcmp(argv[i], "--quiet") == 0)
			quiet = 1;
		else if (strcmp(argv[i], "--wait") == 0 && read(0, &b, 1) != 1)
			return 99;
	}
	if (quiet)
		return code;
	printf("echo-args: argc=%d\n", argc);
	for (i = 0; i < argc; i++)
		printf("echo-args: argv[%d]=\"%s\"\n", i, argv[i]);
	if (argv[argc] != NULL)
		printf("echo-args: argv[argc] is not NULL!\n");
	if (env)
		for (i = 0; environ[i]; i++)
			printf("echo-args: envp[%d]=\"%s\"\n", i, environ[i]);
	if (aux) {
		static const struct { unsigned long type; const char *name; } at[] = {
			{ AT_PHDR, "AT_PHDR" }, { AT_PHENT, "AT_PHENT" }, { AT_PHNUM, "AT_PHNUM" },
			{ AT_PAGESZ, "AT_PAGESZ" }, { AT_BASE, "AT_BASE" }, { AT_ENTRY, "AT_ENTRY" },
			{ AT_UID, "AT_UID" }, { AT_EUID, "AT_EUID" }, { AT_GID, "AT_GID" },
			{ AT_EGID, "AT_EGID" }, { AT_HWCAP, "AT_HWCAP" }, { AT_CLKTCK, "AT_CLKTCK" },
			{ AT_SECURE, "AT_SECURE" }, { AT_RANDOM, "AT_RANDOM" },
			{ AT_SYSINFO, "AT_SYSINFO" }, { AT_SYSINFO_EHDR, "AT_SYSINFO_EHDR" },
			{ AT_EXECFN, "AT_EXECFN" },
		};
		for (i = 0; i < (int)(sizeof(at) / sizeof(at[0])); i++)
			printf("echo-args: %s=0x%lx\n", at[i].name, getauxval(at[i].type));
	}
	return code;
}
