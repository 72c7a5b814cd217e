# A sign-extending move of the frame pointer: the kernel makes it an
# unknown number (unprivileged: refused), so fp plus it is refused.
	r2 = (s8)r10
	r3 = r10
	r3 += r2
	r0 = 0
	exit
