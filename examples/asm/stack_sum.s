# Conformance dialect: store two values on the stack and add them.
mov %r1, 40
stxdw [%r10-8], %r1
mov %r2, 2
stxdw [%r10-16], %r2
ldxdw %r0, [%r10-8]
ldxdw %r3, [%r10-16]
add %r0, %r3
exit
