int net_dummy_socket;
