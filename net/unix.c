int net_dummy_unix;
