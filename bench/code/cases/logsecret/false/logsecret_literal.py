import logging

def reset():
    logging.info('password reset requested')
