"""LifeModels cross process boundaries (the fleet runner's process pool pickles them)."""

import pickle

from reliability.models import LifeModel


def test_lifemodel_pickles_to_an_equal_model():
    m = LifeModel.weibull(1.2, 3e5, covariance=((1e-3, 0.0), (0.0, 1e6)), provenance={"file": "x.csv"})
    back = pickle.loads(pickle.dumps(m))
    assert back == m
    assert back.sf(1e5) == m.sf(1e5)
