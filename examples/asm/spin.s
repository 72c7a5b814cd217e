# An endless loop: the DAG check rejects the back-edge.
	r0 = 0
again:
	r0 += 1
	if r0 != 0 goto again
	exit
