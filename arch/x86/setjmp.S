/* ksetjmp/klongjmp: used to resume after an expected fault in tests. */
	.text
	.globl ksetjmp, klongjmp
ksetjmp:
	movl 4(%esp), %eax
	movl %ebx, 0(%eax)
	movl %esi, 4(%eax)
	movl %edi, 8(%eax)
	movl %ebp, 12(%eax)
	leal 4(%esp), %ecx             /* %esp after our return */
	movl %ecx, 16(%eax)
	movl (%esp), %ecx              /* return address */
	movl %ecx, 20(%eax)
	xorl %eax, %eax
	ret
klongjmp:
	movl 4(%esp), %edx
	movl 8(%esp), %eax
	movl 0(%edx), %ebx
	movl 4(%edx), %esi
	movl 8(%edx), %edi
	movl 12(%edx), %ebp
	movl 16(%edx), %esp
	jmp *20(%edx)

	.section .note.GNU-stack, "", @progbits
