import logging

def call(api_key):
    logging.debug(f'calling with {api_key}')
