# Code after the exit that nothing jumps to: rejected as unreachable.
	r0 = 1
	exit
	r0 = 2
	exit
