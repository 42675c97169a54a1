import logging

log = logging.getLogger(__name__)

def login(user, password):
    log.info('login %s', user)
